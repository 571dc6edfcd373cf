/**
 * The ways a NOTIFY reaches a phone: a connected UDP socket (unreliable: the transaction
 * retransmits), or a TCP / TLS connection (reliable: no retransmission, messages framed by
 * Content-Length, RFC 3261 §18.3). Each transport hands complete messages to its listener.
 */
import { createSocket } from 'node:dgram';
import { connect as tcpConnect, isIPv6, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export type SipTransport = 'udp' | 'tcp' | 'tls';

export interface Channel {
  readonly reliable: boolean;
  readonly name: 'UDP' | 'TCP' | 'TLS';
  readonly local: { readonly address: string; readonly port: number };
  send(packet: Buffer, onError: (err: Error) => void): void;
  onMessage(listener: (msg: Buffer) => void): void;
  offMessage(listener: (msg: Buffer) => void): void;
  onError(listener: (err: NodeJS.ErrnoException) => void): void;
  offError(listener: (err: NodeJS.ErrnoException) => void): void;
  close(): void;
}

export async function openChannel(transport: SipTransport, address: string, port: number, connectTimeoutMs: number): Promise<Channel> {
  return transport === 'udp' ? openUdp(address, port) : openStream(transport, address, port, connectTimeoutMs);
}

async function openUdp(address: string, port: number): Promise<Channel> {
  const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const local = socket.address();
  return {
    reliable: false,
    name: 'UDP',
    local: { address: local.address, port: local.port },
    send: (p, onError) => socket.send(p, (err) => err && onError(err)),
    onMessage: (l) => socket.on('message', l),
    offMessage: (l) => socket.off('message', l),
    onError: (l) => socket.on('error', l),
    offError: (l) => socket.off('error', l),
    close: () => socket.close(),
  };
}

const MAX_MESSAGE = 64 * 1024;

async function openStream(transport: 'tcp' | 'tls', address: string, port: number, timeoutMs: number): Promise<Channel> {
  // Phones present factory certificates no public CA signed; the NOTIFY carries no secret (a
  // digest response at most), so the connection is encrypted but the phone is not authenticated.
  const socket: Socket = transport === 'tls' ? tlsConnect({ host: address, port, rejectUnauthorized: false }) : tcpConnect({ host: address, port });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no ${transport.toUpperCase()} connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once(transport === 'tls' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve();
    });
  });
  const listeners = new Set<(m: Buffer) => void>();
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_MESSAGE) socket.destroy(new Error('SIP message headers too long'));
        return;
      }
      const head = buffered.subarray(0, end).toString('utf8');
      const m = /^(?:content-length|l)\s*:\s*(\d+)\s*$/im.exec(head);
      const length = m ? Number(m[1]) : 0;
      if (buffered.length < end + 4 + length) return;
      const msg = buffered.subarray(0, end + 4 + length);
      buffered = buffered.subarray(end + 4 + length);
      for (const l of listeners) l(msg);
    }
  });
  socket.on('error', () => undefined);
  return {
    reliable: true,
    name: transport === 'tls' ? 'TLS' : 'TCP',
    local: { address: socket.localAddress ?? '0.0.0.0', port: socket.localPort ?? 0 },
    send: (p, onError) => socket.write(p, (err) => err && onError(err)),
    onMessage: (l) => listeners.add(l),
    offMessage: (l) => listeners.delete(l),
    onError: (l) => socket.on('error', l),
    offError: (l) => socket.off('error', l),
    close: () => socket.destroy(),
  };
}
