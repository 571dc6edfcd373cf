/**
 * The OpenSSL `enc` container Grandstream XML configs and Cisco MPP profiles use (vendors.md §3.5,
 * §10.2): `Salted__` + 8-byte salt + AES-256-CBC with PKCS#7 padding, key and IV from
 * EVP_BytesToKey with MD5 and one iteration, i.e. what `openssl enc -aes-256-cbc -md md5 -k pw`
 * writes. OpenSSL >= 1.1 defaults to SHA-256 for `-md`; the phones predate that, hence MD5.
 *
 * The salt is not random: it is an HMAC of the content under the password (decision 0011), so the
 * same config always encrypts to the same bytes and a phone that compares MD5s skips it.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';

const MAGIC = Buffer.from('Salted__', 'latin1');
const SALT_BYTES = 8;
const KEY_BYTES = 32;
const IV_BYTES = 16;

/** EVP_BytesToKey(MD5, 1 iteration): D_i = MD5(D_{i-1} || password || salt); key || iv = D_1 || D_2 || D_3. */
export function opensslMd5KeyIv(password: Buffer, salt: Buffer): { key: Buffer; iv: Buffer } {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  while (Buffer.concat(blocks).length < KEY_BYTES + IV_BYTES) {
    previous = createHash('md5').update(previous).update(password).update(salt).digest();
    blocks.push(previous);
  }
  const material = Buffer.concat(blocks);
  return { key: material.subarray(0, KEY_BYTES), iv: material.subarray(KEY_BYTES, KEY_BYTES + IV_BYTES) };
}

/**
 * The salt for one file: the first 8 bytes of HMAC-SHA256(password, name || 0 || plaintext).
 * Deterministic (same input, same bytes) yet unpredictable without the password, and different
 * per file name so two files with equal content do not share a key stream.
 */
export function deterministicSalt(password: string, name: string, plaintext: Buffer): Buffer {
  return createHmac('sha256', Buffer.from(password, 'utf8'))
    .update('provd openssl-salted\0')
    .update(name, 'utf8')
    .update('\0')
    .update(plaintext)
    .digest()
    .subarray(0, SALT_BYTES);
}

/** `Salted__` || salt || AES-256-CBC(PKCS#7(plaintext)), decryptable by `openssl enc -d -aes-256-cbc -md md5`. */
export function encryptOpensslSalted(plaintext: Buffer, password: string, salt: Buffer): Buffer {
  if (salt.length !== SALT_BYTES) throw new Error(`salt must be ${SALT_BYTES} bytes, got ${salt.length}`);
  const { key, iv } = opensslMd5KeyIv(Buffer.from(password, 'utf8'), salt);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([MAGIC, salt, cipher.update(plaintext), cipher.final()]);
}

/** The inverse, for `provd` tooling and tests; throws on a missing header or a wrong password (bad padding). */
export function decryptOpensslSalted(data: Buffer, password: string): Buffer {
  if (data.length < MAGIC.length + SALT_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error('not an OpenSSL salted file (no "Salted__" header)');
  }
  const salt = data.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
  const { key, iv } = opensslMd5KeyIv(Buffer.from(password, 'utf8'), salt);
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([decipher.update(data.subarray(MAGIC.length + SALT_BYTES)), decipher.final()]);
}

/**
 * Passwords provd accepts for this format: 8-64 printable ASCII characters without space, quote or
 * backslash. Cisco carries the key inside a profile rule (`[--key "secret"]`) and Grandstream in a
 * web field (P1359); neither documents its character set, so provd keeps to what survives both [I].
 */
export function opensslPasswordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 8 || password.length > 64) problems.push(`must be 8 to 64 characters long, got ${password.length}`);
  const bad = [...new Set([...password].filter((c) => !/^[!#-&(-[\]-~]$/.test(c)))];
  if (bad.length > 0) {
    problems.push(`may hold printable ASCII except space, quotes and backslash; found ${bad.map((c) => JSON.stringify(c)).join(' ')}`);
  }
  return problems;
}
