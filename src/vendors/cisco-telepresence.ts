/**
 * Cisco TelePresence SX10/SX20/SX80 codecs of the WeLink seed (vendors.md §5.3): set up by hand
 * in the web UI (no file provisioning here), so the module has models, a settings sheet
 * (`provd render <mac> sheet`) and the seed's firmware minimum, and serves nothing. It is kept
 * apart from the Cisco phone module (MPP/SPA/enterprise) on purpose; the vendor id differs.
 */
import type { ResolvedDevice } from '../inventory/types.js';
import type { ModelInfo, VendorModule } from './types.js';
import { VIDEO_ENDPOINTS, videoEndpointWarnings } from './video-endpoints.js';

const MODELS: readonly ModelInfo[] = VIDEO_ENDPOINTS.filter((v) => v.vendor === 'cisco').map((v) =>
  Object.freeze({ name: v.name, aliases: v.aliases, accounts: 1 }),
);

const BY_KEY: ReadonlyMap<string, ModelInfo> = new Map(MODELS.flatMap((m) => [m.name, ...m.aliases].map((k) => [k.toLowerCase(), m] as const)));

export const ciscoTelepresence: VendorModule = {
  id: 'cisco-telepresence',
  displayName: 'Cisco TelePresence',
  models: MODELS,
  findModel: (name) => BY_KEY.get(name.trim().toLowerCase()),
  parseUserAgent: () => undefined,
  sharedFiles: () => [],
  deviceFiles: () => [],
  macInName: () => undefined,
  matchUpload: () => undefined,
  pnFolders: () => [],
  varProblems: (vars) =>
    vars['firmware'] !== undefined && typeof vars['firmware'] !== 'string' ? [`firmware must be a quoted string such as "ce9.4.0", got ${JSON.stringify(vars['firmware'])}`] : [],
  // Cisco's OUIs belong to the Cisco phone module; a codec is never classified by MAC here.
  ouis: [],
  provisioningUrl: () => undefined,
  // Not provisioned by provd, so nothing to resync; the MPP-style events for completeness [U].
  notify: { resync: 'resync', reboot: 'reboot_now' },
  deviceWarnings: (device: ResolvedDevice) => videoEndpointWarnings('cisco', device),
};
