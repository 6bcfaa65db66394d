import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLimitExceededError, declaredLength, guardedBody, LengthMismatchError } from '../../../src/images/image-body';
import { DeadlineExceededError } from '../../../src/images/deadline';
import { ifNoneMatchMatches, isNotModified, notModifiedSince, parseEntityTags } from '../../../src/http/conditional';
import { imageContentType } from '../../../src/images/image-content-type';
import { httpDate, imageHeaders, safeEtag, serverTiming } from '../../../src/images/image-response-headers';
import { isAllowedRedirectHost, nextHop } from '../../../src/images/redirect-policy';
import { judgeUpstream } from '../../../src/images/upstream-response-check';
import { isPublicHostname } from '../../../src/images/url-safety';
import { manualDeadline } from './helpers';

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
    const later = 'Wed, 01 Jan 2020 00:00:00 GMT';
    expect(isNotModified(new Headers({ 'if-none-match': '"y"', 'if-modified-since': later }), v)).toBe(false);
    expect(isNotModified(new Headers({ 'if-modified-since': later }), v)).toBe(true);
    // A date later than now is not a valid validator (RFC 9110 §13.1.3): ignored.
    expect(isNotModified(new Headers({ 'if-modified-since': 'Thu, 01 Jan 2099 00:00:00 GMT' }), v)).toBe(false);
    expect(isNotModified(new Headers(), v)).toBe(false);
  });
});

describe('guardedBody', () => {
  function source(sizes: number[]): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (const size of sizes) controller.enqueue(new Uint8Array(size).fill(1));
        controller.close();
      },
    });
  }

  async function bytesThrough(sizes: number[] | null, maxBytes: number, expectedLength: number | null): Promise<number> {
    const deadline = manualDeadline();
    const body = guardedBody(sizes === null ? null : source(sizes), { maxBytes, expectedLength, deadline });
    return (await new Response(body).arrayBuffer()).byteLength;
  }

  it.each([
    { name: 'chunks up to the cap, no declared length', sizes: [400, 400, 200], max: 1000, expected: null, bytes: 1000 },
    { name: 'an empty body', sizes: [], max: 0, expected: null, bytes: 0 },
    { name: 'a body exactly as long as declared', sizes: [10, 6], max: 1000, expected: 16, bytes: 16 },
    { name: 'no body, declared 0', sizes: null, max: 1000, expected: 0, bytes: 0 },
    { name: 'no body, nothing declared', sizes: null, max: 1000, expected: null, bytes: 0 },
  ])('passes $name untouched', async ({ sizes, max, expected, bytes }) => {
    expect(await bytesThrough(sizes, max, expected)).toBe(bytes);
  });

  it.each([
    { name: 'one byte past the cap', sizes: [400, 400, 201], max: 1000, expected: null, error: ByteLimitExceededError },
    { name: 'a body shorter than declared', sizes: [10], max: 1000, expected: 16, error: LengthMismatchError },
    { name: 'a body longer than declared', sizes: [10, 10], max: 1000, expected: 16, error: LengthMismatchError },
    { name: 'no body where 16 bytes were declared', sizes: null, max: 1000, expected: 16, error: LengthMismatchError },
    { name: 'a declared length over the cap, body over the cap', sizes: [600, 600], max: 1000, expected: 1200, error: ByteLimitExceededError },
  ])('errors on $name', async ({ sizes, max, expected, error }) => {
    await expect(bytesThrough(sizes, max, expected)).rejects.toBeInstanceOf(error);
  });

  it('errors with DeadlineExceededError when the deadline passes while the source is stalled, and cancels the source', async () => {
    let cancelledWith: unknown = null;
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(4));
      },
      cancel(reason) {
        cancelledWith = reason;
      },
    });
    const deadline = manualDeadline();
    const reader = guardedBody(stalled, { maxBytes: 1000, expectedLength: null, deadline }).getReader();
    expect((await reader.read()).value?.byteLength).toBe(4);
    const next = reader.read();
    deadline.expire();
    await expect(next).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(cancelledWith).toBeInstanceOf(DeadlineExceededError);
    expect(deadline.disposed).toBe(true);
  });

  it('disposes the deadline when the body ends cleanly', async () => {
    const deadline = manualDeadline();
    await new Response(guardedBody(source([3]), { maxBytes: 10, expectedLength: 3, deadline })).arrayBuffer();
    expect(deadline.disposed).toBe(true);
    expect(deadline.listeners()).toBe(0);
  });

  it('a reader that cancels cancels the source and disposes the deadline', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1));
      },
      cancel() {
        cancelled = true;
      },
    });
    const deadline = manualDeadline();
    const reader = guardedBody(endless, { maxBytes: 1000, expectedLength: null, deadline }).getReader();
    await reader.read();
    await reader.cancel('client went away');
    expect(cancelled).toBe(true);
    expect(deadline.disposed).toBe(true);
  });

  it('a deadline that passed before the first read errors the stream at once', async () => {
    const deadline = manualDeadline();
    deadline.expire();
    const body = guardedBody(source([3]), { maxBytes: 10, expectedLength: null, deadline });
    await expect(new Response(body).arrayBuffer()).rejects.toBeInstanceOf(DeadlineExceededError);
  });
});

describe('declaredLength', () => {
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
