/**
 * HTTP authentication through the adapter: the 401 challenge, curl's Digest and Basic, Basic sent
 * before any challenge (Grandstream "Always Authenticate Before Challenge"), stale nonces.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchRequest, Resolution } from '../../src/core/types.js';
import {
  RecordingPipeline,
  curl,
  eventually,
  memoryFile,
  splitResponse,
  startServer,
  type Running,
} from '../fixtures/http/harness.js';

const BODY = 'account.1.password = hunter2\n';
const USER = 'phone42';
const PASSWORD = 's3cr:et';
const REALM = 'provd-test';

/** The pipeline's part: which password is expected, and what to answer. */
function guarded(req: FetchRequest): Resolution {
  const c = req.credentials;
  if (c && c.user === USER && c.verify(PASSWORD)) {
    return { kind: 'file', file: memoryFile('dev.cfg', BODY), identity: {} };
  }
  return { kind: 'denied', reason: c ? 'auth_failed' : 'auth_required', answer: 'auth', realm: REALM, identity: {} };
}

let now = Date.UTC(2025, 5, 1);
let t: Running;

beforeAll(async () => {
  const p = new RecordingPipeline();
  p.routes.set('/auth/dev.cfg', guarded);
  p.routes.set('/open.cfg', { kind: 'file', file: memoryFile('open.cfg', 'x\n'), identity: {} });
  t = await startServer(p, { nonce: { now: () => now, lifetimeSeconds: 60 } });
});

afterAll(async () => {
  await t.server.close();
});

const h = (s: string): string => createHash('md5').update(s).digest('hex');

/** A challenge's parameters, parsed the simple way a test can afford. */
function digestChallenge(values: string[] | undefined): Map<string, string> {
  const digest = (values ?? []).find((v) => v.startsWith('Digest '));
  expect(digest).toBeDefined();
  const params = new Map<string, string>();
  for (const m of (digest ?? '').matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g)) params.set(m[1] ?? '', m[3] ?? m[2] ?? '');
  return params;
}

async function challenge(path: string): Promise<Map<string, string>> {
  const r = await curl(['-i', `${t.base}${path}`]);
  const { status, headers } = splitResponse(r.stdout);
  expect(status).toBe(401);
  return digestChallenge(headers.get('www-authenticate'));
}

describe('challenge', () => {
  it('offers Digest (MD5, qop=auth) and Basic in one 401', async () => {
    const r = await curl(['-i', `${t.base}/auth/dev.cfg`]);
    const { status, headers, body } = splitResponse(r.stdout);
    expect(status).toBe(401);
    expect(body.toString()).toBe('401 Unauthorized\n');
    const www = headers.get('www-authenticate') ?? [];
    expect(www).toHaveLength(2);
    expect(www[0]).toMatch(/^Digest realm="provd-test", qop="auth", nonce="[0-9a-f]+-[A-Za-z0-9_-]+", algorithm=MD5$/);
    expect(www[1]).toBe('Basic realm="provd-test", charset="UTF-8"');
    const f = await eventually(() => t.pipeline.fetches.find((x) => x.req.path === '/auth/dev.cfg' && x.result));
    expect(f.req.credentials).toBeUndefined();
    expect(f.result).toMatchObject({ outcome: 'denied', status: 401, bytes: 0, delivered: false });
  });
});

describe('curl', () => {
  it('authenticates with Digest after the challenge', async () => {
    const r = await curl(['--digest', '-u', `${USER}:${PASSWORD}`, '-w', '\n%{http_code} %{num_connects}', `${t.base}/auth/dev.cfg`]);
    expect(r.stdout.toString()).toBe(`${BODY}\n200 1`);
  });

  it('authenticates with Basic sent before any challenge', async () => {
    const before = t.pipeline.fetches.length;
    const r = await curl(['-u', `${USER}:${PASSWORD}`, '-w', '\n%{http_code}', `${t.base}/auth/dev.cfg`]);
    expect(r.stdout.toString()).toBe(`${BODY}\n200`);
    // One request: the credentials went with the first one.
    await eventually(() => (t.pipeline.fetches.length === before + 1 && t.pipeline.fetches[before]?.result ? true : undefined));
    const f = t.pipeline.fetches[before];
    expect(f?.req.credentials?.user).toBe(USER);
    expect(f?.result?.outcome).toBe('served');
  });

  it('refuses a wrong password with a fresh challenge', async () => {
    for (const mode of [['--digest'], ['--basic']]) {
      const r = await curl([...mode, '-u', `${USER}:wrong`, '-o', '/dev/null', '-w', '%{http_code}', `${t.base}/auth/dev.cfg`]);
      expect(r.stdout.toString()).toBe('401');
    }
  });

  it('passes credentials on a path that needs none; the pipeline decides', async () => {
    const r = await curl(['-u', `${USER}:${PASSWORD}`, `${t.base}/open.cfg`]);
    expect(r.stdout.toString()).toBe('x\n');
    const f = await eventually(() => t.pipeline.fetches.find((x) => x.req.path === '/open.cfg'));
    expect(f.req.credentials?.user).toBe(USER);
  });

  it('never logs credentials (nor anything per request)', () => {
    expect(t.logLines.join('')).not.toContain(PASSWORD);
    expect(t.logLines).toEqual([]);
  });
});

describe('Digest details', () => {
  const path = '/auth/dev.cfg';

  function authorization(nonce: string, opts: { uri?: string; qop?: boolean; password?: string } = {}): string {
    const uri = opts.uri ?? path;
    const ha1 = h(`${USER}:${REALM}:${opts.password ?? PASSWORD}`);
    const ha2 = h(`GET:${uri}`);
    if (opts.qop === false) {
      return `Digest username="${USER}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${h(`${ha1}:${nonce}:${ha2}`)}"`;
    }
    const response = h(`${ha1}:${nonce}:00000001:abcdef:auth:${ha2}`);
    return `Digest username="${USER}", realm="${REALM}", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="abcdef", response="${response}", algorithm=MD5`;
  }

  async function status(auth: string, url = path): Promise<{ code: number; www: string[] }> {
    const r = await curl(['-i', '-H', `Authorization: ${auth}`, `${t.base}${url}`]);
    const { status: code, headers } = splitResponse(r.stdout);
    return { code, www: headers.get('www-authenticate') ?? [] };
  }

  it('accepts a computed RFC 7616 response and the RFC 2069 form without qop', async () => {
    const nonce = (await challenge(path)).get('nonce') ?? '';
    expect((await status(authorization(nonce))).code).toBe(200);
    expect((await status(authorization(nonce, { qop: false }))).code).toBe(200);
  });

  it('refuses a response computed for another uri', async () => {
    const nonce = (await challenge(path)).get('nonce') ?? '';
    expect((await status(authorization(nonce, { uri: '/open.cfg' }))).code).toBe(401);
  });

  it('refuses a nonce it did not issue', async () => {
    expect((await status(authorization('65f0c000-AAAAAAAAAAAAAAAAAAAAAA'))).code).toBe(401);
  });

  it('says stale=true when a right response carries an expired nonce', async () => {
    const nonce = (await challenge(path)).get('nonce') ?? '';
    now += 61_000;
    const stale = await status(authorization(nonce));
    expect(stale.code).toBe(401);
    const params = digestChallenge(stale.www);
    expect(params.get('stale')).toBe('true');
    expect(params.get('nonce')).not.toBe(nonce);
    // A wrong password on an expired nonce is not "stale": the client must ask the user.
    const wrong = await status(authorization(nonce, { password: 'nope' }));
    expect(digestChallenge(wrong.www).has('stale')).toBe(false);
    const fresh = digestChallenge(stale.www).get('nonce') ?? '';
    expect((await status(authorization(fresh))).code).toBe(200);
  });
});
