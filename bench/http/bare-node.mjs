// Reference server for bench/http: the least a single Node process can do to serve these files.
// node:http, every file of a folder held in a Map, looked up by path, sent with one end() and the
// headers provd sends (type, length, ETag, Last-Modified); no policy, no log, no ledger. It is
// what provd's overhead is measured against on the Node side, not a candidate implementation.
//   node bench/http/bare-node.mjs ROOT_DIR   (prints {"port":N} once listening on 127.0.0.1)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: bare-node.mjs ROOT_DIR\n');
  process.exit(2);
}
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
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, files: files.size })}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
