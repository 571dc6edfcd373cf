/**
 * Builds the TFTP server from the config and binds it, for `provd serve`: the serve command
 * keeps one small block and the settings mapping lives here.
 */
import type { Config } from '../../config/schema.js';
import type { ProvisioningPipeline } from '../../core/types.js';
import type { Logger } from '../../log/logger.js';
import { createTftpServer, type DeviceTftpServer, type TftpSettings } from './server.js';

/** The server settings a config describes. */
export function tftpSettings(config: Readonly<Config>): TftpSettings {
  const t = config.tftp;
  return {
    singlePort: t.single_port,
    maxBlksize: t.max_blksize,
    maxWindowsize: t.max_windowsize,
    retransmit: { initialMs: t.retransmit.initial_ms, maxMs: t.retransmit.max_ms, giveUpMs: t.retransmit.give_up_ms },
    maxTransfers: t.max_transfers,
    maxPerAddress: t.max_per_address,
    profiles: t.profiles,
    allowWrite: t.allow_write,
    errorRepliesPerSecond: t.error_replies_per_second,
    receiveBufferBytes: 4 * 1024 * 1024,
    closeGraceMs: 5000,
  };
}

/** Creates and binds the server; logs `listening` like the HTTP listeners. */
export async function startTftp(
  config: Readonly<Config>,
  pipeline: ProvisioningPipeline,
  log: Logger,
): Promise<{ server: DeviceTftpServer; port: number }> {
  const server = createTftpServer({ pipeline, logger: log, settings: tftpSettings(config) });
  const addr = await server.listen(config.tftp.port, config.tftp.bind ?? config.bind);
  log.info({ protocol: 'tftp', address: addr.address, port: addr.port, single_port: config.tftp.single_port }, 'listening');
  return { server, port: addr.port };
}
