/**
 * Yealink "compatibility mode" config encryption (vendors.md §2.9, §10.3), as the vendor's
 * Config Encryption Tool writes it:
 *   config               = AES-128-ECB(key = 16 ASCII chars, plaintext padded to 16 with spaces)
 *   <name>_Security.enc  = AES-128-ECB(key = built-in "EKs35XacP6eybA25", the 16 key chars)
 * No header; the phone knows a file is encrypted from its own settings. A phone with
 * `static.auto_provision.aes_key_in_file = 1` fetches the key file and unwraps the file key with
 * its built-in key; with 0 it decrypts with its configured `aes_key.com` (common files) or
 * `aes_key.mac` (`<mac>.cfg`).
 *
 * The tool picks the file key at random; provd derives it from the configured key and the content
 * (decision 0011), so the same config always gives the same bytes.
 */
import { createCipheriv, createHmac } from 'node:crypto';

/** The key every Yealink phone carries for unwrapping `_Security.enc` files (vendors.md §2.9). */
export const YEALINK_BUILTIN_KEY = 'EKs35XacP6eybA25';
const BLOCK = 16;

/** Characters the phone accepts in an AES key (seed 002, vendors.md §2.9). */
export const YEALINK_KEY_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:=?@[]^_{}~';
const FILE_KEY_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function ecb(key: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** The plaintext padded with spaces to a whole number of blocks (the vendor tool's padding). */
function spacePadded(plaintext: Buffer): Buffer {
  const tail = (BLOCK - (plaintext.length % BLOCK)) % BLOCK;
  return tail === 0 ? plaintext : Buffer.concat([plaintext, Buffer.alloc(tail, 0x20)]);
}

/** AES-128-ECB of the space-padded config under a 16-character ASCII key. */
export function encryptYealinkConfig(plaintext: Buffer, fileKey: string): Buffer {
  return ecb(asKey(fileKey), spacePadded(plaintext));
}

/** The 16-byte `<name>_Security.enc` body: the file key wrapped with the built-in key. */
export function yealinkKeyFile(fileKey: string): Buffer {
  return ecb(asKey(YEALINK_BUILTIN_KEY), asKey(fileKey));
}

/**
 * A 16-character alphanumeric file key from HMAC-SHA256(secret, name || 0 || plaintext), drawn by
 * rejection sampling so every character is equally likely. Alphanumerics only: the sample files
 * of the vendor tool use nothing else.
 */
export function deriveYealinkFileKey(secret: string, name: string, plaintext: Buffer): string {
  let out = '';
  for (let counter = 0; out.length < BLOCK; counter++) {
    const block = createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(`provd yealink file key\0${counter}\0`)
      .update(name, 'utf8')
      .update('\0')
      .update(plaintext)
      .digest();
    for (const byte of block) {
      // 248 = 4 * 62: bytes above would favour the first characters.
      if (byte < 248 && out.length < BLOCK) out += FILE_KEY_CHARS[byte % FILE_KEY_CHARS.length];
    }
  }
  return out;
}

/** `<base>_Security.enc` for a config named `<base>.cfg` (`805ec0d57d72.cfg` -> `805ec0d57d72_Security.enc`). */
export function yealinkKeyFileName(configName: string): string {
  return `${configName.replace(/\.cfg$/i, '')}_Security.enc`;
}

function asKey(key: string): Buffer {
  const bytes = Buffer.from(key, 'latin1');
  if (bytes.length !== BLOCK || key.length !== BLOCK) throw new Error(`a Yealink AES key is ${BLOCK} ASCII characters`);
  return bytes;
}

/**
 * Problems with a key typed into the phone or the inventory: exactly 16 characters from the set
 * the phone accepts. Phones also take 32, but which cipher they then use is unconfirmed
 * (vendors.md §2.9 [U]), so provd refuses 32 rather than write files the phone may not read.
 */
export function yealinkKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (key.length === 32) problems.push('32-character keys are not supported yet (their cipher is unconfirmed); use 16 characters');
  else if (key.length !== BLOCK) problems.push(`must be exactly 16 characters long, got ${key.length}`);
  const bad = [...new Set([...key].filter((c) => !YEALINK_KEY_CHARS.includes(c)))];
  if (bad.length > 0) {
    problems.push(`may hold only 0-9 A-Z a-z # $ % * + , - . : = ? @ [ ] ^ _ { } ~; found ${bad.map((c) => JSON.stringify(c)).join(' ')}`);
  }
  return problems;
}
