/** Account lines of one device: profile defaults under the account's own settings, then checks. */
import type { AccountInput, ProfileAccountInput } from './schema.js';
import type { InventoryProblem, ResolvedAccount } from './types.js';
import type { YamlFile, YamlPath } from './yaml-file.js';

/** What an account gets when neither it nor its profile says otherwise. */
export const ACCOUNT_DEFAULTS = {
  transport: 'udp',
  srtp: 'off',
  expires: 3600,
  dns_mode: 'a',
  dns_failover: 'default',
  session_timer: false,
} as const;

export interface AccountContext {
  readonly yaml: YamlFile;
  /** Path of the device in its file. */
  readonly devicePath: YamlPath;
  /** How messages name the device (`80:5e:c0:d5:7d:72`). */
  readonly deviceName: string;
  readonly modelLabel: string;
  readonly maxLines: number;
  readonly profileName: string | undefined;
  readonly profileAccount: ProfileAccountInput | null | undefined;
  readonly problems: InventoryProblem[];
}

function problem(ctx: AccountContext, path: YamlPath, message: string, key?: string): void {
  ctx.problems.push({ file: ctx.yaml.file, ...ctx.yaml.position(path, key), message, severity: 'error' });
}

/**
 * Resolves the device's accounts, sorted by line. Returns undefined when any account is in error
 * (the problems are pushed to `ctx.problems`); every account is checked either way.
 */
export function resolveAccounts(
  ctx: AccountContext,
  accounts: readonly AccountInput[],
): ResolvedAccount[] | undefined {
  const out: ResolvedAccount[] = [];
  const seen = new Map<number, number>();
  const defaults = ctx.profileAccount ?? {};
  let failed = false;
  accounts.forEach((acc, index) => {
    const path = [...ctx.devicePath, 'accounts', index];
    const line = acc.line ?? index + 1;
    const linePath = acc.line === undefined ? path : [...path, 'line'];
    const earlier = seen.get(line);
    if (earlier !== undefined) {
      const first = ctx.yaml.position([...ctx.devicePath, 'accounts', earlier]);
      problem(ctx, linePath, `device ${ctx.deviceName}: account line ${line} is given twice (first at ${ctx.yaml.file}:${first.line})`);
      failed = true;
    } else {
      seen.set(line, index);
    }
    if (line > ctx.maxLines) {
      problem(
        ctx,
        linePath,
        `device ${ctx.deviceName}: account line ${line} is above the ${ctx.maxLines} account lines a ${ctx.modelLabel} has`,
      );
      failed = true;
    }
    const registrar = acc.registrar ?? defaults.registrar;
    const missing: string[] = [];
    if (acc.user === undefined) missing.push('user');
    if (acc.password === undefined) missing.push('password');
    if (registrar === undefined) missing.push('registrar');
    for (const field of missing) {
      const fromProfile = field === 'registrar' && ctx.profileName ? ` or in profile "${ctx.profileName}"` : '';
      problem(ctx, path, `device ${ctx.deviceName}: account line ${line} has no ${field} (set it on the account${fromProfile})`);
      failed = true;
    }
    let authId = acc.auth_id;
    if (authId === undefined && defaults.auth_id === 'required') {
      problem(ctx, path, `device ${ctx.deviceName}: account line ${line} has no auth_id, which profile "${ctx.profileName ?? ''}" requires`);
      failed = true;
    }
    if (failed || acc.user === undefined || acc.password === undefined || registrar === undefined) return;
    authId ??= acc.user;
    const label = acc.label ?? acc.user;
    const outboundProxy = acc.outbound_proxy ?? defaults.outbound_proxy;
    out.push({
      line,
      user: acc.user,
      auth_id: authId,
      password: acc.password,
      display_name: acc.display_name ?? label,
      label,
      registrar,
      ...(outboundProxy ? { outbound_proxy: outboundProxy } : {}),
      transport: acc.transport ?? defaults.transport ?? ACCOUNT_DEFAULTS.transport,
      srtp: acc.srtp ?? defaults.srtp ?? ACCOUNT_DEFAULTS.srtp,
      expires: acc.expires ?? defaults.expires ?? ACCOUNT_DEFAULTS.expires,
      dns_mode: acc.dns_mode ?? defaults.dns_mode ?? ACCOUNT_DEFAULTS.dns_mode,
      dns_failover: acc.dns_failover ?? defaults.dns_failover ?? ACCOUNT_DEFAULTS.dns_failover,
      session_timer: acc.session_timer ?? defaults.session_timer ?? ACCOUNT_DEFAULTS.session_timer,
      vars: acc.vars ?? {},
    });
  });
  if (failed) return undefined;
  return out.sort((a, b) => a.line - b.line);
}
