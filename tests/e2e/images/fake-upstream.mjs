// Fake image origin for the image-route e2e. Runs INSIDE the ecp-img network namespace on
// 127.0.0.1:80 and answers every path with a 1×1 PNG. Logs each request as one JSON line.
import { createServer } from 'node:http';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const port = Number(process.env.FAKE_UPSTREAM_PORT ?? 80);

const server = createServer((req, res) => {
  process.stdout.write(`${JSON.stringify({ method: req.method, url: req.url, headers: req.headers })}\n`);
  res.writeHead(200, {
    'content-type': 'image/png',
    'content-length': PNG.length,
    etag: '"fake-png-1"',
    'last-modified': 'Wed, 10 Nov 2021 00:00:00 GMT',
    'set-cookie': 'tracker=1; Path=/',
    'x-powered-by': 'fake-upstream',
  });
  res.end(req.method === 'HEAD' ? undefined : PNG);
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`LISTENING ${port}\n`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
