/**
 * The retransmission policy of one transfer: the daemon's configured one, adjusted to the
 * client's RFC 2349 `timeout` when it asked for one.
 */
import type { RetransmitPolicy } from './read-transfer.js';

/**
 * Retransmissions a transfer always gets before it is given up. A client that negotiates a long
 * timeout (curl asks for 6 s, PXE ROMs for up to 10 s) leaves recovery of lost DATA to the
 * server; with only the configured deadline (20 s by default) it would get two tries, and two
 * losses of one block on a lossy Wi-Fi link would end the transfer.
 */
export const MIN_RETRANSMISSIONS = 5;

export function retransmitFor(configured: RetransmitPolicy, timeoutSeconds: number | undefined): RetransmitPolicy {
  if (timeoutSeconds === undefined) return configured;
  // RFC 2349: the negotiated timeout is how long to wait before retransmitting.
  const initialMs = timeoutSeconds * 1000;
  return {
    initialMs,
    maxMs: Math.max(initialMs, configured.maxMs),
    giveUpMs: Math.max(configured.giveUpMs, initialMs * (MIN_RETRANSMISSIONS + 1)),
  };
}
