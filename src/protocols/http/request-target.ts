/**
 * The request line's target, turned into the path the pipeline resolves (RFC 9112 §3.2).
 * Only the wire form is checked here; traversal, NUL and other path policy is the pipeline's job,
 * so the decoded path is handed on exactly as the client spelled it.
 */

export type TargetRefusal = 'target_too_long' | 'bad_request_target' | 'bad_percent_encoding';

export type ParsedTarget =
  | { readonly ok: true; readonly path: string }
  | {
      readonly ok: false;
      readonly status: 400 | 414;
      readonly reason: TargetRefusal;
      /** What to record as the path: the raw target, cut to the limit. */
      readonly rawPath: string;
    };

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * Parses an origin-form (`/a/b?q`) or absolute-form (`http://host/a/b`) target. The query and
 * anything after `#` play no part in resolution. Percent-escapes are decoded as UTF-8; a broken
 * escape or invalid UTF-8 is a 400, a target longer than `maxBytes` a 414.
 */
export function parseRequestTarget(target: string, maxBytes: number): ParsedTarget {
  // Node's parser refuses raw bytes above 0x7f, so characters and bytes coincide here.
  if (target.length > maxBytes) {
    return { ok: false, status: 414, reason: 'target_too_long', rawPath: target.slice(0, maxBytes) };
  }
  let rest = target;
  if (rest.charCodeAt(0) !== 0x2f /* / */) {
    // RFC 9112 §3.2.2: servers must accept absolute-form; whose host it names does not matter to
    // a provisioning server, the path alone selects the file.
    const m = ABSOLUTE_FORM.exec(rest);
    if (!m) return { ok: false, status: 400, reason: 'bad_request_target', rawPath: target };
    rest = rest.slice(m[0].length);
    if (rest === '' || rest.charCodeAt(0) !== 0x2f) {
      if (rest !== '' && rest[0] !== '?' && rest[0] !== '#') {
        return { ok: false, status: 400, reason: 'bad_request_target', rawPath: target };
      }
      rest = '/' + rest;
    }
  }
  const end = endOfPath(rest);
  const raw = end === rest.length ? rest : rest.slice(0, end);
  if (raw.indexOf('%') === -1) return { ok: true, path: raw };
  try {
    // decodeURIComponent rejects both malformed escapes and escapes that are not UTF-8.
    return { ok: true, path: decodeURIComponent(raw) };
  } catch {
    return { ok: false, status: 400, reason: 'bad_percent_encoding', rawPath: raw };
  }
}

function endOfPath(s: string): number {
  const q = s.indexOf('?');
  const h = s.indexOf('#');
  if (q === -1) return h === -1 ? s.length : h;
  return h === -1 || q < h ? q : h;
}
