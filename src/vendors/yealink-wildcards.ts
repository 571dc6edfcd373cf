/**
 * Yealink provisioning-URL wildcards (seed 002, "配置部署服务器 URL 的通配符"): in its provisioning
 * server URL a phone replaces `$PN` with `static.auto_provision.url_wildcard.pn` (by default its
 * model name, e.g. `T42G`) and `$MAC` with its own MAC in lower case without separators
 * (MAC 00156543EC97 asks for `00156543ec97.boot`). A file every phone shares may therefore keep
 * them for the phone to expand; a file made for one device knows both values and writes the URL
 * concrete, which is what this helper does.
 */
import type { Mac } from '../core/mac.js';

export interface WildcardValues {
  readonly mac: Mac;
  /** The device's `$PN` folder. */
  readonly pn: string;
}

/** `url` with every `$MAC` and `$PN` replaced; only the upper-case spellings the seed documents are wildcards. */
export function expandYealinkWildcards(url: string, values: WildcardValues): string {
  return url.replace(/\$(MAC|PN)/g, (_, name: string) => (name === 'MAC' ? values.mac : values.pn));
}

/** True when the URL still holds a wildcard the phone would expand. */
export function hasYealinkWildcards(url: string): boolean {
  return /\$(?:MAC|PN)/.test(url);
}
