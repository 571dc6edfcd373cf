/**
 * SIZE, MDTM (RFC 3659 §4, §3) and MLST (§7) over the control connection: answered from how the
 * pipeline would resolve the path, without a ledger record (only transfers are recorded).
 */
import type { TreeLister } from '../../core/tree.js';
import type { FetchRequest } from '../../core/types.js';
import { mlsxLine, timeVal } from './listing.js';

export type FactsReply = (code: number, text: string, lines?: readonly string[]) => void;

export async function fileFacts(
  tree: TreeLister,
  req: FetchRequest,
  verb: 'SIZE' | 'MDTM' | 'MLST',
  shownPath: string,
  now: number,
  reply: FactsReply,
): Promise<void> {
  const res = await tree.probe(req);
  if (res.kind === 'file') {
    const f = res.file;
    const size = f.source === 'static' ? f.size : f.body.length;
    if (verb === 'SIZE') return reply(213, String(size));
    if (verb === 'MDTM') return reply(213, timeVal(f.mtimeMs));
    return reply(250, 'Listing', [mlsxLine({ name: f.name, kind: 'file', size, mtimeMs: f.mtimeMs }, shownPath)]);
  }
  if (verb === 'MLST') {
    const dir = await tree.list(req);
    if (dir.kind === 'dir') return reply(250, 'Listing', [mlsxLine({ name: '', kind: 'dir', size: 0, mtimeMs: now }, shownPath)]);
  }
  reply(550, verb === 'SIZE' ? 'Could not get file size.' : 'No such file.');
}
