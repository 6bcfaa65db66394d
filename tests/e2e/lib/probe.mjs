// One HTTP request made INSIDE a test network namespace (run it with `ip netns exec`); prints the result as JSON:
//   {status, headers, length, head, text}      a complete response (head: first 8 bytes in hex, text: first 2000 as UTF-8)
//   {status, headers, length, bodyError}       headers arrived, then the body failed (cut connection)
//   {error}                                    no response at all
// Usage: node probe.mjs <url> [METHOD]
const [url, method = 'GET'] = process.argv.slice(2);
if (!url || !/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) {
  console.error('probe.mjs only requests http://127.0.0.1:<port>/ URLs');
  process.exit(2);
}
let res;
try {
  res = await fetch(url, { method, signal: AbortSignal.timeout(20_000) });
} catch (error) {
  console.log(JSON.stringify({ error: String(error) }));
  process.exit(0);
}
const headers = Object.fromEntries(res.headers);
const chunks = [];
let length = 0;
try {
  const reader = res.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    chunks.push(next.value);
    length += next.value.byteLength;
  }
  const body = Buffer.concat(chunks);
  console.log(JSON.stringify({ status: res.status, headers, length, head: body.subarray(0, 8).toString('hex'), text: body.subarray(0, 2000).toString('utf8') }));
} catch (error) {
  console.log(JSON.stringify({ status: res.status, headers, length, bodyError: String(error?.cause ?? error) }));
}
