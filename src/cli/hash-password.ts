/**
 * `provd hash-password`: the first line of stdin in, its scrypt hash out (for
 * `ftp.users[].password_hash`). Reading stdin keeps the password out of shell history and `ps`.
 */
import { hashPassword } from '../protocols/ftp/password-hash.js';
import type { CliIo } from './io.js';

const MAX_BYTES = 4096;

export async function hashPasswordCommand(io: CliIo): Promise<number> {
  if (!io.stdin) {
    io.stderr.write('provd hash-password: no standard input\n');
    return 2;
  }
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > MAX_BYTES || text.includes('\n')) break;
  }
  const password = (text.split('\n')[0] ?? '').replace(/\r$/, '');
  if (password === '') {
    io.stderr.write('provd hash-password: give the password on stdin, e.g. printf %s "$PW" | provd hash-password\n');
    return 2;
  }
  io.stdout.write(`${await hashPassword(password)}\n`);
  return 0;
}
