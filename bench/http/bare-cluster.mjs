// Reference for bench/http: bare-node.mjs's server in WORKERS node:cluster workers sharing one
// listen socket (the primary hands out connections round-robin), to see what a multi-process
// provd could gain on this machine at best. Run by hand:
//   node bench/http/bare-cluster.mjs ROOT_DIR [WORKERS=2]   (prints {"port":N} once listening)
import cluster from 'node:cluster';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const root = process.argv[2];
const workers = Number(process.argv[3] ?? 2);
if (!root) {
  process.stderr.write('usage: bare-cluster.mjs ROOT_DIR [WORKERS]\n');
  process.exit(2);
}
if (cluster.isPrimary) {
  // Every worker listens on port 0: cluster gives them one shared handle for the same key.
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (m) => {
      if (m.port !== undefined && ++ready === workers) process.stdout.write(`${JSON.stringify({ port: m.port, workers })}\n`);
    });
  }
  const stop = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else {
  const modified = new Date().toUTCString();
  const files = new Map();
  for (const name of readdirSync(root)) {
    const body = readFileSync(join(root, name));
    files.set(`/${name}`, { body, etag: `"${createHash('md5').update(body).digest('hex')}"` });
  }
  const server = createServer({ keepAliveTimeout: 30_000, requireHostHeader: false }, (req, res) => {
    const file = files.get(req.url ?? '');
    if (!file) {
      res.writeHead(404, { 'Content-Length': 0 });
      res.end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': file.body.length,
      ETag: file.etag,
      'Last-Modified': modified,
    });
    res.end(file.body);
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
