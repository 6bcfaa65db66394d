import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLimitStream, ByteLimitExceededError, declaredLength } from '../../../src/images/byte-limit-stream';
import { ifNoneMatchMatches, isNotModified, notModifiedSince, parseEntityTags } from '../../../src/http/conditional';
import { imageContentType } from '../../../src/images/image-content-type';
import { httpDate, imageHeaders, safeEtag, serverTiming } from '../../../src/images/image-response-headers';
import { isAllowedRedirectHost, nextHop } from '../../../src/images/redirect-policy';
import { judgeUpstream } from '../../../src/images/upstream-response-check';
import { isPublicHostname } from '../../../src/images/url-safety';

describe('imageContentType', () => {
  it.each([
    ['image/png', 'image/png'],
    ['Image/JPEG; charset=binary', 'image/jpeg'],
    ['  image/svg+xml ; charset=utf-8', 'image/svg+xml'],
    ['image/vnd.microsoft.icon', 'image/vnd.microsoft.icon'],
    ['text/html', null],
    ['application/octet-stream', null],
    ['image/', null],
    ['image', null],
    ['text/plain; x=image/png', null],
    ['image/png, text/html', null],
    ['', null],
    [null, null],
  ])('%s → %s', (header, expected) => {
    expect(imageContentType(header)).toBe(expected);
  });
});

describe('conditional evaluation', () => {
  it('parses entity-tag lists, dropping weakness', () => {
    expect(parseEntityTags('"a", W/"b" ,"c,d"')).toEqual(['a', 'b', 'c,d']);
    expect(parseEntityTags(' * ')).toBe('*');
  });

  it.each([
    ['"x"', '"x"', true],
    ['W/"x"', '"x"', true],
    ['"x"', 'W/"x"', true],
    ['"y"', '"x"', false],
    ['*', '"x"', true],
    ['*', null, true],
    ['"x"', null, false],
    ['', '"x"', false],
  ])('If-None-Match %s vs ETag %s → %s', (header, etag, expected) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(expected);
  });

  it('If-Modified-Since compares whole dates and ignores invalid ones', () => {
    const lm = 'Wed, 21 Oct 2015 07:28:00 GMT';
    expect(notModifiedSince(lm, lm)).toBe(true);
    expect(notModifiedSince('Wed, 21 Oct 2015 07:27:59 GMT', lm)).toBe(false);
    expect(notModifiedSince('garbage', lm)).toBe(false);
    expect(notModifiedSince(lm, null)).toBe(false);
  });

  it('If-None-Match decides alone when present', () => {
    const v = { etag: '"x"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' };
    const future = 'Thu, 01 Jan 2099 00:00:00 GMT';
    expect(isNotModified(new Headers({ 'if-none-match': '"y"', 'if-modified-since': future }), v)).toBe(false);
    expect(isNotModified(new Headers({ 'if-modified-since': future }), v)).toBe(true);
    expect(isNotModified(new Headers(), v)).toBe(false);
  });
});

describe('byte limit', () => {
  async function run(sizes: number[], max: number): Promise<number> {
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const size of sizes) controller.enqueue(new Uint8Array(size));
        controller.close();
      },
    });
    return (await new Response(source.pipeThrough(byteLimitStream(max))).arrayBuffer()).byteLength;
  }

  it('passes bodies up to the cap untouched', async () => {
    expect(await run([400, 400, 200], 1000)).toBe(1000);
    expect(await run([], 0)).toBe(0);
  });

  it('errors one byte past the cap', async () => {
    await expect(run([400, 400, 201], 1000)).rejects.toBeInstanceOf(ByteLimitExceededError);
  });

  it.each([
    ['123', 123],
    [' 42 ', 42],
    ['-1', null],
    ['1e3', null],
    ['12, 12', null],
    [null, null],
  ])('Content-Length %s → %s', (value, expected) => {
    const headers = new Headers();
    if (value !== null) headers.set('content-length', value);
    expect(declaredLength(headers)).toBe(expected);
  });
});

describe('response headers', () => {
  it('keeps only well-formed validators', () => {
    expect(safeEtag('"abc"')).toBe('"abc"');
    expect(safeEtag('W/"abc"')).toBe('W/"abc"');
    expect(safeEtag('abc')).toBeNull();
    expect(safeEtag('"a"b"')).toBeNull();
    expect(httpDate('Wed, 21 Oct 2015 07:28:00 GMT')).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(httpDate('not a date')).toBeNull();
  });

  it('builds image headers from the allowlist only', () => {
    const upstream = new Headers({ 'set-cookie': 'a=b', etag: '"e"', 'x-other': '1' });
    const headers = imageHeaders(upstream, 'image/png', 10);
    expect(Object.fromEntries(headers)).toEqual({
      'content-type': 'image/png',
      'content-length': '10',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'cross-origin',
      etag: '"e"',
    });
  });

  it('formats Server-Timing', () => {
    expect(serverTiming(true)).toBe('cache;desc="hit"');
    expect(serverTiming(false, 12.6)).toBe('cache;desc="miss", upstream;dur=13');
  });
});

describe('judgeUpstream', () => {
  const png = (status: number, headers: Record<string, string> = {}) =>
    new Response(status === 204 || status === 304 ? null : 'x', { status, headers: { 'content-type': 'image/png', ...headers } });

  it.each([
    [200, {}, 'image'],
    [404, {}, 'upstream-not-found'],
    [410, {}, 'upstream-not-found'],
    [403, {}, 'upstream-error'],
    [500, {}, 'upstream-error'],
    [206, {}, 'upstream-error'],
    [200, { 'content-type': 'text/html' }, 'not-an-image'],
    [200, { 'content-length': '101' }, 'too-large'],
  ] as const)('%i %j → %s', (status, headers, expected) => {
    const verdict = judgeUpstream(png(status, headers), 100);
    expect(verdict.kind === 'image' ? 'image' : verdict.error).toBe(expected);
  });
});

describe('redirect policy', () => {
  const original = new URL('https://img.example.com/a/b.png');

  it('resolves relative locations against the current URL', () => {
    const current = new URL('https://img.example.com/x/y/z.png');
    expect(nextHop('../w.png', current, original, [])?.href).toBe('https://img.example.com/x/w.png');
    expect(nextHop('?v=2', current, original, [])?.href).toBe('https://img.example.com/x/y/z.png?v=2');
  });

  it('matches hosts exactly, case-insensitively, ignoring a trailing dot', () => {
    expect(isAllowedRedirectHost(new URL('https://IMG.example.com./x'), original, [])).toBe(true);
    expect(isAllowedRedirectHost(new URL('https://cdn.example.net/x'), original, ['cdn.example.net'])).toBe(true);
    expect(isAllowedRedirectHost(new URL('https://a.cdn.example.net/x'), original, ['cdn.example.net'])).toBe(false);
    expect(isAllowedRedirectHost(new URL('https://example.com/x'), original, [])).toBe(false);
  });

  it('never yields a non-public or unlisted host, whatever the Location (property)', () => {
    const locations = fc.oneof(
      fc.string(),
      fc.webUrl(),
      fc.constantFrom('http://127.0.0.1/', 'http://[::1]/', 'http://localhost/', '//evil.example.net/', 'http://0x7f.1/', 'http://0/'),
    );
    fc.assert(
      fc.property(locations, (location) => {
        const next = nextHop(location, original, original, ['cdn.example.net']);
        if (next === null) return true;
        return (
          (next.protocol === 'http:' || next.protocol === 'https:') &&
          isPublicHostname(next.hostname) &&
          ['img.example.com', 'cdn.example.net'].includes(next.hostname)
        );
      }),
      { numRuns: 500 },
    );
  });
});
