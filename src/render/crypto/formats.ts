/**
 * The encryption formats a vendor module can name (VendorModule.encryption.format), each with its
 * key rules (checked when the inventory loads) and its encoder (run by the catalog after a file
 * renders). Vendor-neutral: a vendor opts in by naming a format and marking files, nothing more.
 */
import type { ResolvedEncryption } from '../../inventory/types.js';
import type { EncryptionFormatId, EncryptionKeyRole } from '../../vendors/types.js';
import { deterministicSalt, encryptOpensslSalted, opensslPasswordProblems } from './openssl-salted.js';
import {
  deriveYealinkFileKey,
  encryptYealinkConfig,
  yealinkKeyFile,
  yealinkKeyFileName,
  yealinkKeyProblems,
} from './yealink-ecb.js';

/** A file written next to the encrypted one (Yealink's `<name>_Security.enc`). */
export interface CompanionFile {
  readonly name: string;
  readonly body: Buffer;
}

export interface EncryptedFile {
  readonly body: Buffer;
  readonly companions: readonly CompanionFile[];
}

export interface EncryptionFormat {
  readonly id: EncryptionFormatId;
  /** What a phone reading this format says about a key; empty when the key is fine. */
  keyProblems(key: string): string[];
  /** Encrypts one rendered file. Deterministic: the same inputs always give the same bytes. */
  encrypt(name: string, plaintext: Buffer, setting: ResolvedEncryption, role: EncryptionKeyRole): EncryptedFile;
}

/** The inventory key a file is encrypted under: `mac_key` for a device's own files when set. */
export function keyFor(setting: ResolvedEncryption, role: EncryptionKeyRole): string {
  return role === 'device' && setting.mac_key !== undefined ? setting.mac_key : setting.key;
}

const yealinkCompat: EncryptionFormat = {
  id: 'yealink-aes128-ecb',
  keyProblems: yealinkKeyProblems,
  encrypt(name, plaintext, setting, role) {
    const key = keyFor(setting, role);
    if (!setting.key_in_file) {
      // The phone decrypts with its own aes_key.com / aes_key.mac: the file key is that key.
      return { body: encryptYealinkConfig(plaintext, key), companions: [] };
    }
    const fileKey = deriveYealinkFileKey(key, name, plaintext);
    return {
      body: encryptYealinkConfig(plaintext, fileKey),
      companions: [{ name: yealinkKeyFileName(name), body: yealinkKeyFile(fileKey) }],
    };
  },
};

const opensslSalted: EncryptionFormat = {
  id: 'openssl-aes256-cbc',
  keyProblems: opensslPasswordProblems,
  encrypt(name, plaintext, setting, role) {
    const password = keyFor(setting, role);
    return { body: encryptOpensslSalted(plaintext, password, deterministicSalt(password, name, plaintext)), companions: [] };
  },
};

const FORMATS: Readonly<Record<EncryptionFormatId, EncryptionFormat>> = {
  'yealink-aes128-ecb': yealinkCompat,
  'openssl-aes256-cbc': opensslSalted,
};

/** The format with this id. */
export function encryptionFormat(id: EncryptionFormatId): EncryptionFormat {
  return FORMATS[id];
}
