/** The vendor modules provd ships, assembled into one registry. */
import { ciscoEnterprise } from './cisco-enterprise.js';
import { ciscoMpp } from './cisco-mpp.js';
import { ciscoSpa } from './cisco-spa.js';
import { ciscoTelepresence } from './cisco-telepresence.js';
import { fanvil } from './fanvil.js';
import { grandstream } from './grandstream.js';
import { htek } from './htek.js';
import { polycom } from './polycom.js';
import { VendorRegistry } from './registry.js';
import { snom } from './snom.js';
import { yealink } from './yealink.js';

/** A registry of every shipped vendor module; adding a vendor is adding its module here. */
export function createVendorRegistry(): VendorRegistry {
  return new VendorRegistry([
    yealink, grandstream, polycom, ciscoMpp, ciscoSpa, ciscoEnterprise, ciscoTelepresence, fanvil, snom, htek,
  ]);
}
