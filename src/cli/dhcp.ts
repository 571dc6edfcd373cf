/**
 * `provd dhcp snippet --for <server>`: prints the DHCP configuration that makes the site's own
 * server hand phones the URLs provd serves, from this config's ports, public host and dhcp rules.
 */
import { snippetModel } from '../dhcp/snippet-model.js';
import { renderSnippet, type SnippetTarget } from '../dhcp/snippets.js';
import { createVendorRegistry } from '../vendors/index.js';
import type { CliIo } from './io.js';
import { configOrReport, configuredPorts, publicHost, serverInfo, type ConfigArgs } from './setup.js';

export async function dhcpSnippet(args: ConfigArgs & { readonly target: SnippetTarget }, io: CliIo): Promise<number> {
  const config = configOrReport(args, io);
  if (!config) return 1;
  const host = publicHost(config);
  const server = serverInfo(host, configuredPorts(config));
  const model = snippetModel(config.dhcp, createVendorRegistry(), server, config.dhcp.server_address || host);
  io.stdout.write(renderSnippet(args.target, model));
  return 0;
}
