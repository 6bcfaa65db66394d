// Fake image origin for the e2e scripts. Runs INSIDE a test network namespace on 127.0.0.1 (or
// FAKE_UPSTREAM_HOST) and answers every path with a PNG. Logs each request as one JSON line on
// stdout:
//   {"method","url","headers","tls"}        (the host is headers.host)
// prints `LISTENING <port>` once per listening socket, and for a trickled response (below) one
//   {"event":"trickle-end","url","sent","total","complete"}   when it ends or the client goes away.
//
// Paths starting with /__trickle/ answer 200 image/png with no Content-Length, then send the
// PNG's first 8 bytes and one more byte every FAKE_UPSTREAM_TRICKLE_MS (default 1000) up to
// 64 bytes: an origin that holds a request for a minute. /__trickle-length/ does the same with
// `Content-Length: 64`.
//
// Environment:
//   FAKE_UPSTREAM_HOST       address to listen on (default 127.0.0.1)
//   FAKE_UPSTREAM_PORT       plain HTTP port(s), comma-separated (default 80)
//   FAKE_UPSTREAM_TLS_PORT   also serve HTTPS on these port(s), comma-separated (needs the two below)
//   FAKE_UPSTREAM_TLS_CERT   PEM certificate chain file, FAKE_UPSTREAM_TLS_KEY  PEM key file
//   FAKE_UPSTREAM_IMAGE      `tiny` (default: a 1×1 PNG) or `mix`: a solid-colour PNG whose size
//                            (600×400, 1200×800, 1600×400 …) and colour are derived from the path,
//                            so pages get plausible, varied images.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { deflateSync } from 'node:zlib';

const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const mode = process.env.FAKE_UPSTREAM_IMAGE ?? 'tiny';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An RGB PNG of `width`×`height` filled with `rgb`, with a 6 px darker frame. */
function solidPng(width, height, [r, g, b]) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height);
  const frame = 6;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const edge = x < frame || y < frame || x >= width - frame || y >= height - frame;
      const o = y * stride + 1 + x * 3;
      raw[o] = edge ? r >> 1 : r;
      raw[o + 1] = edge ? g >> 1 : g;
      raw[o + 2] = edge ? b >> 1 : b;
    }
  }
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const SIZES = [[600, 400], [1200, 800], [1024, 576], [1600, 400], [320, 240], [480, 640]];
const COLOURS = [[93, 156, 236], [236, 135, 93], [120, 190, 120], [190, 120, 190], [200, 180, 90], [110, 170, 180]];
const cache = new Map();

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function imageFor(path) {
  if (mode !== 'mix') return { body: TINY_PNG, etag: '"fake-png-1"' };
  const h = fnv1a(path);
  const [w, hgt] = SIZES[h % SIZES.length];
  const colour = COLOURS[(h >>> 8) % COLOURS.length];
  const key = `${w}x${hgt}-${colour.join('.')}`;
  if (!cache.has(key)) cache.set(key, solidPng(w, hgt, colour));
  return { body: cache.get(key), etag: `"fake-${key}"` };
}

const TRICKLE_TOTAL = 64;
const trickleMs = Number(process.env.FAKE_UPSTREAM_TRICKLE_MS ?? '1000');

function trickle(req, res, withLength) {
  const headers = { 'content-type': 'image/png', 'cache-control': 'no-store' };
  if (withLength) headers['content-length'] = String(TRICKLE_TOTAL);
  res.writeHead(200, headers);
  res.write(TINY_PNG.subarray(0, 8));
  let sent = 8;
  let ended = false;
  const end = (complete) => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    process.stdout.write(`${JSON.stringify({ event: 'trickle-end', url: req.url, sent, total: TRICKLE_TOTAL, complete })}\n`);
  };
  const timer = setInterval(() => {
    if (sent >= TRICKLE_TOTAL) {
      res.end();
      end(true);
      return;
    }
    res.write(Buffer.from([0]));
    sent += 1;
  }, trickleMs);
  res.on('close', () => end(sent >= TRICKLE_TOTAL));
}

function handler(tls) {
  return (req, res) => {
    process.stdout.write(`${JSON.stringify({ method: req.method, url: req.url, headers: req.headers, tls })}\n`);
    const url = req.url ?? '';
    if (url.startsWith('/__trickle/') || url.startsWith('/__trickle-length/')) {
      trickle(req, res, url.startsWith('/__trickle-length/'));
      return;
    }
    const { body, etag } = imageFor(req.url ?? '/');
    res.writeHead(200, {
      'content-type': 'image/png',
      'content-length': body.length,
      etag,
      'last-modified': 'Wed, 10 Nov 2021 00:00:00 GMT',
      'set-cookie': 'tracker=1; Path=/',
      'x-powered-by': 'fake-upstream',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

const servers = [];
const ports = (value) => (value ?? '').split(',').filter((p) => p.trim() !== '').map(Number);
const listenHost = process.env.FAKE_UPSTREAM_HOST ?? '127.0.0.1';
function listen(server, port) {
  server.listen(port, listenHost, () => process.stdout.write(`LISTENING ${port}\n`));
  servers.push(server);
}
for (const port of ports(process.env.FAKE_UPSTREAM_PORT ?? '80')) listen(createServer(handler(false)), port);
const tlsPorts = ports(process.env.FAKE_UPSTREAM_TLS_PORT);
if (tlsPorts.length > 0) {
  const tlsOptions = { cert: readFileSync(process.env.FAKE_UPSTREAM_TLS_CERT), key: readFileSync(process.env.FAKE_UPSTREAM_TLS_KEY) };
  for (const port of tlsPorts) listen(createTlsServer(tlsOptions, handler(true)), port);
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const s of servers) s.close();
    setTimeout(() => process.exit(0), 200).unref();
  });
}
