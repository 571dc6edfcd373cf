/** A daemon with the admin API on port 0 and two tokens (read-only, and every scope). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon, type DaemonOptions } from './daemon-harness.js';

export const READ_TOKEN = 'read-only-token-0123456789abcdef';
export const FULL_TOKEN = 'full-scope-token-0123456789abcdef';

export interface AdminDaemon extends Daemon {
  readonly admin: string;
  api(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  json<T = Record<string, unknown>>(path: string, init?: RequestInit & { token?: string | null }): Promise<T>;
}

export async function startAdminDaemon(opts: DaemonOptions & { adminExtra?: string } = {}): Promise<AdminDaemon> {
  const d = await startDaemon({
    ...opts,
    extraConfig: ['admin:', '  enabled: true', '  port: 0', '  tokens_file: ./tokens', opts.adminExtra ?? '', opts.extraConfig ?? ''].join('\n'),
    prepare: (dir) => {
      writeFileSync(join(dir, 'tokens'), `# test tokens\n${READ_TOKEN}\n${FULL_TOKEN} resync,jobs,secrets\n`, { mode: 0o600 });
      opts.prepare?.(dir);
    },
  });
  const line = await d.waitForLog((l) => l.msg === 'listening' && l.protocol === 'admin');
  const admin = `http://127.0.0.1:${Number(line.port)}`;
  const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token = READ_TOKEN, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== null) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${admin}${path}`, { ...rest, headers });
  };
  return {
    ...d,
    admin,
    api,
    async json<T>(path: string, init?: RequestInit & { token?: string | null }) {
      const r = await api(path, init);
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
  };
}
