/**
 * Masking secrets out of rendered files and inventory data before the admin API shows them.
 * Two nets: every secret the inventory knows for the device is replaced wherever it appears, and
 * the value of any key that looks like a password is replaced too (catches a previous password
 * still present in an older render, and vendor keys with secrets we did not list).
 */
export const MASK = '********';

const SECRET_KEY = /(pass(word|wd)?|pwd|secret|pin)/i;

/** `key = value`, `key: value` and XML `key="value"` with a secret-looking key. */
const KEY_VALUE = /^(\s*[^\s=:]*?(?:pass(?:word|wd)?|pwd|secret|pin)[^\s=:]*\s*[=:]\s*)(\S.*?)(\s*)$/gim;
const XML_ATTR = /(\b[\w.-]*(?:pass(?:word|wd)?|pwd|secret|pin)[\w.-]*\s*=\s*")([^"]+)(")/gi;

export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a password containing a shorter one is replaced whole.
  for (const s of [...new Set(secrets)].filter((x) => x.length >= 3).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(MASK);
  }
  out = out.replace(XML_ATTR, (_m, a: string, _v: string, c: string) => `${a}${MASK}${c}`);
  out = out.replace(KEY_VALUE, (_m, a: string, _v: string, c: string) => `${a}${MASK}${c}`);
  return out;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}
