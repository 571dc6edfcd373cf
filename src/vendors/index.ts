/** The vendor modules provd ships, assembled into one registry. */
import { VendorRegistry } from './registry.js';
import { ciscoTelepresence } from './cisco-telepresence.js';
import { grandstream } from './grandstream.js';
import { polycom } from './polycom.js';
import { yealink } from './yealink.js';

/** A registry of every shipped vendor module (Yealink, Grandstream, Polycom, the WeLink Cisco codecs; the others arrive with their issues). */
export function createVendorRegistry(): VendorRegistry {
  return new VendorRegistry([yealink, grandstream, polycom, ciscoTelepresence]);
}
