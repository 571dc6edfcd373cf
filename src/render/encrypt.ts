/**
 * The encryption step of the render pipeline: after a device file renders, a file its vendor marks
 * `encryptWith`, for a device whose inventory asks for encryption, is replaced by its encrypted
 * bytes (and any key file the format writes next to it). The catalog then records the MD5 of
 * these bytes, which is what is sent and what the ledger shows.
 */
import type { ResolvedDevice } from '../inventory/types.js';
import type { FileSpec, VendorModule } from '../vendors/types.js';
import { encryptionFormat } from './crypto/formats.js';

/** One file as it enters the catalog. */
export interface RenderedFile {
  readonly name: string;
  readonly body: Buffer;
  readonly contentType: string;
}

const ENCRYPTED_TYPE = 'application/octet-stream';

/**
 * The files to serve for one rendered device file: the plain file, or the encrypted file first
 * and then its companions. Throws when the file should be encrypted but cannot be (a key the
 * format rejects slipped past the inventory checks): serving it in the clear is never the fallback.
 */
export function deviceOutputs(vendor: VendorModule, spec: FileSpec, device: ResolvedDevice, body: Buffer): RenderedFile[] {
  const setting = device.encryption;
  const role = spec.encryptWith;
  if (!vendor.encryption || !setting || !role) return [{ name: spec.name, body, contentType: spec.contentType }];
  const encrypted = encryptionFormat(vendor.encryption.format).encrypt(spec.name, body, setting, role);
  return [
    { name: spec.name, body: encrypted.body, contentType: ENCRYPTED_TYPE },
    ...encrypted.companions.map((c) => ({ name: c.name, body: c.body, contentType: ENCRYPTED_TYPE })),
  ];
}
