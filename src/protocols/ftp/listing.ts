/**
 * Listing formats: LIST in the Unix `ls -l` shape every client parses (there is no standard;
 * vsftpd's is the model), NLST names only (RFC 959 §4.1.3), MLSD/MLST facts (RFC 3659 §7).
 */
import type { TreeEntry } from '../../core/tree.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HALF_YEAR_MS = 182 * 24 * 3600 * 1000;

export function listLine(e: TreeEntry, now: number): string {
  const mode = e.kind === 'dir' ? 'dr-xr-xr-x' : '-r--r--r--';
  const d = new Date(e.mtimeMs);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  // ls shows the time for recent files and the year for older (or future) ones.
  const recent = e.mtimeMs <= now + 3600_000 && now - e.mtimeMs < HALF_YEAR_MS;
  const when = recent
    ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
    : ` ${d.getUTCFullYear()}`;
  return `${mode} 1 provd provd ${String(e.size).padStart(12, ' ')} ${MONTHS[d.getUTCMonth()]} ${day} ${when} ${e.name}`;
}

/** RFC 3659 §2.3 time-val, UTC. */
export function timeVal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** RFC 3659 §7.2 entry: facts, a space, the name. */
export function mlsxLine(e: TreeEntry, name = e.name): string {
  const type = e.kind === 'dir' ? 'dir' : 'file';
  const size = e.kind === 'file' ? `size=${e.size};` : '';
  const perm = e.kind === 'dir' ? 'el' : 'r';
  return `type=${type};${size}modify=${timeVal(e.mtimeMs)};perm=${perm}; ${name}`;
}

/** The body of a listing command, CRLF-terminated lines. */
export function formatListing(command: 'LIST' | 'NLST' | 'MLSD', entries: readonly TreeEntry[], now: number): Buffer {
  const lines = entries.map((e) => (command === 'LIST' ? listLine(e, now) : command === 'NLST' ? e.name : mlsxLine(e)));
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8');
}
