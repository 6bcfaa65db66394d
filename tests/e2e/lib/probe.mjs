// One HTTP request made INSIDE a test network namespace (run it with `ip netns exec`); prints the result as JSON.
// Usage: node probe.mjs <url> [METHOD]
const [url, method = 'GET'] = process.argv.slice(2);
if (!url || !/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) {
  console.error('probe.mjs only requests http://127.0.0.1:<port>/ URLs');
  process.exit(2);
}
try {
  const res = await fetch(url, { method, signal: AbortSignal.timeout(20_000) });
  const body = Buffer.from(await res.arrayBuffer());
  console.log(
    JSON.stringify({ status: res.status, headers: Object.fromEntries(res.headers), length: body.length, head: body.subarray(0, 8).toString('hex') }),
  );
} catch (error) {
  console.log(JSON.stringify({ error: String(error) }));
}
