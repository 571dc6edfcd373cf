/**
 * Polycom User-Agent parsing. Real samples (vendors.md §1.2, from WZP):
 *
 *   FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application
 *   FileTransport PolycomSoundStationIP-SSIP_6000-UA/5.0.3.1667 Type/Updater
 *
 * No MAC: the resolver takes it from the path (`<mac>-reg.cfg`, `<mac>-boot.log`). The first
 * requests come from the BootROM/Updater, so `version` is the updater's there, the application's later.
 */
import type { UserAgentInfo } from './types.js';
import { findPolycomModel } from './polycom-models.js';

const UA = /^FileTransport Polycom\w+-(\w*?)-UA\/([\d.]+)/;

export function parsePolycomUserAgent(userAgent: string): UserAgentInfo | undefined {
  const m = UA.exec(userAgent.trim());
  if (!m) return undefined;
  const [, model = '', version = ''] = m;
  return { vendor: 'polycom', model: findPolycomModel(model)?.name ?? model, version };
}
