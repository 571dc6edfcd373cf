/**
 * Pulls an inventory file from an HTTPS source (a CMDB export). Conditional GET with the ETag of
 * the last good copy; a new body is checked together with the rest of the inventory in a scratch
 * folder before it replaces the old file atomically, so a broken or truncated download never
 * reaches the daemon: the last good copy stays in place and the job reports why.
 */
import { cp, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';

const MAX_BYTES = 16 * 1024 * 1024;

export interface RemoteInventoryDeps {
  readonly url: string;
  /** Where the copy lives (inside the inventory folder, or the inventory file itself). */
  readonly file: string;
  /** The configured inventory path (a folder or one file). */
  readonly inventory: string;
  readonly timeoutMs: number;
  /** JSON file keeping the ETag of the last good copy. */
  readonly stateFile: string;
  /** Loads and checks an inventory path; problems as printable lines. */
  readonly check: (path: string) => Promise<{ ok: true; devices: number } | { ok: false; problems: readonly string[] }>;
  /** Tells the daemon to reload now (the watcher would too, a little later). */
  readonly reload: () => Promise<boolean>;
  readonly fetch: typeof fetch;
}

export async function pullRemoteInventory(d: RemoteInventoryDeps): Promise<string | { skipped: string }> {
  const saved = await readState(d.stateFile);
  const haveCopy = await exists(d.file);
  const headers: Record<string, string> = { accept: 'application/yaml, text/yaml, text/plain, */*' };
  if (saved.etag && haveCopy) headers['if-none-match'] = saved.etag;
  let res: Response;
  try {
    res = await d.fetch(d.url, { headers, signal: AbortSignal.timeout(d.timeoutMs), redirect: 'error' });
  } catch (err) {
    const e = err as Error & { cause?: { message?: string } };
    throw new Error(`cannot fetch ${d.url}: ${e.name === 'TimeoutError' ? `no answer within ${d.timeoutMs} ms` : (e.cause?.message ?? e.message)}; kept the last good copy`);
  }
  if (res.status === 304) return { skipped: 'not modified (ETag matches the last good copy)' };
  if (res.status !== 200) throw new Error(`${d.url} answered ${res.status}; kept the last good copy`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_BYTES) throw new Error(`${d.url} is over ${MAX_BYTES} bytes; kept the last good copy`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > MAX_BYTES) throw new Error(`${d.url} is over ${MAX_BYTES} bytes; kept the last good copy`);

  const verdict = await checkWithRest(d, body);
  if (!verdict.ok) throw new Error(`the downloaded inventory is invalid, kept the last good copy: ${verdict.problems.slice(0, 5).join('; ')}`);

  // Same folder, a name the loader ignores (*.part), then rename: the watcher sees one change.
  const temp = join(dirname(d.file), `.${basename(d.file)}.part`);
  await writeFile(temp, body, { mode: 0o640 });
  await rename(temp, d.file);
  const etag = res.headers.get('etag');
  await writeFile(d.stateFile, `${JSON.stringify({ etag, url: d.url, bytes: body.length })}\n`);
  const accepted = await d.reload();
  return `updated (${body.length} bytes, ${verdict.devices} devices${etag ? `, ETag ${etag}` : ''})${accepted ? '' : '; the daemon rejected the reload'}`;
}

/** Checks the new body as part of the whole inventory, in a scratch copy of the folder. */
async function checkWithRest(d: RemoteInventoryDeps, body: Buffer) {
  const scratch = await mkdtemp(join(tmpdir(), 'provd-remote-'));
  try {
    const isFolder = (await stat(d.inventory).catch(() => undefined))?.isDirectory() === true;
    if (isFolder) {
      const rel = relative(d.inventory, d.file);
      await cp(d.inventory, scratch, { recursive: true });
      await writeFile(join(scratch, rel), body);
      return await d.check(scratch);
    }
    const file = join(scratch, basename(d.file));
    await writeFile(file, body);
    return await d.check(file);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readState(file: string): Promise<{ etag?: string }> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as { etag?: unknown };
    return typeof v.etag === 'string' ? { etag: v.etag } : {};
  } catch {
    return {};
  }
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}
