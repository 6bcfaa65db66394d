/**
 * Conditional requests (src/http/conditional.ts), pure, in Node: the same functions the Worker's
 * routes and image route use (tests/worker/routes/caching.test.ts covers them end to end). Every
 * case is written out; the clock is injected.
 */
import { describe, expect, it } from 'vitest';
import { httpDate, ifNoneMatchMatches, isNotModified, notModified, notModifiedSince, opaqueTag, parseEntityTags } from '../../../src/http/conditional';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0); // Mon, 15 Jan 2024 12:00:00 GMT
const NOW_TEXT = 'Mon, 15 Jan 2024 12:00:00 GMT';
const LM = 'Wed, 21 Oct 2015 07:28:00 GMT';

describe('parseEntityTags', () => {
  it.each<[string, '*' | string[]]>([
    ['*', '*'],
    [' * ', '*'],
    ['\t*\t', '*'],
    ['"a"', ['a']],
    ['W/"a"', ['a']],
    ['"a", W/"b" ,"c,d"', ['a', 'b', 'c,d']],
    ['""', ['']],
    ['"abc"', ['abc']],
    ['"a b"', ['a b']],
    ['*, "a"', ['a']], // `*` is only a wildcard alone
    ['a', []],
    ['', []],
    ['W/', []],
    ['"unterminated', []],
  ])('%j → %j', (header, expected) => {
    expect(parseEntityTags(header)).toEqual(expected);
  });
});

describe('opaqueTag', () => {
  it.each<[string, string | null]>([
    ['"x"', 'x'],
    ['W/"x"', 'x'],
    ['"abc-123"', 'abc-123'],
    ['""', ''],
    ['  "x"  ', 'x'],
    ['\tW/"x"\t', 'x'],
    ['x', null],
    ['"x', null],
    ['x"', null],
    ['w/"x"', null], // the weak prefix is case-sensitive (RFC 9110 §8.8.3)
    ['"x" junk', null],
    ['junk "x"', null],
    ['"a""b"', null],
    ['', null],
  ])('%j → %j', (etag, expected) => {
    expect(opaqueTag(etag)).toBe(expected);
  });
});

describe('ifNoneMatchMatches (weak comparison)', () => {
  it.each<[string, string | null, boolean]>([
    ['"x"', '"x"', true],
    ['W/"x"', '"x"', true],
    ['"x"', 'W/"x"', true],
    ['"y"', '"x"', false],
    ['"y", "x"', '"x"', true],
    ['"x", "y"', '"y"', true],
    ['"xy"', '"x"', false],
    ['"x"', '"xy"', false],
    ['*', '"x"', true],
    [' * ', null, true],
    ['"x"', null, false],
    ['""', null, false],
    ['', '"x"', false],
    ['"x"', 'x', false], // our own ETag malformed: never matches
    ['""', 'x', false],
    ['""', '""', true],
  ])('If-None-Match %j vs ETag %j → %s', (header, etag, expected) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(expected);
  });
});

describe('notModifiedSince', () => {
  it.each<[string, string, string | null, boolean]>([
    ['the same instant', LM, LM, true],
    ['a later date', 'Thu, 22 Oct 2015 07:28:00 GMT', LM, true],
    ['one second earlier', 'Wed, 21 Oct 2015 07:27:59 GMT', LM, false],
    ['exactly now (a valid date)', NOW_TEXT, 'Mon, 15 Jan 2024 11:59:59 GMT', true],
    ['one second after now (invalid, ignored)', 'Mon, 15 Jan 2024 12:00:01 GMT', LM, false],
    ['an unparseable date', 'garbage', LM, false],
    ['an unparseable Last-Modified', LM, 'garbage', false],
    ['no Last-Modified', LM, null, false],
  ])('%s', (_name, header, lastModified, expected) => {
    expect(notModifiedSince(header, lastModified, NOW)).toBe(expected);
  });

  it('uses the real clock when none is given: a date in the future is ignored', () => {
    expect(notModifiedSince('Thu, 01 Jan 2099 00:00:00 GMT', LM)).toBe(false);
    expect(notModifiedSince(LM, LM)).toBe(true);
  });
});

describe('isNotModified', () => {
  const v = { etag: '"x"', lastModified: LM };
  const later = 'Wed, 01 Jan 2020 00:00:00 GMT';
  const earlier = 'Wed, 01 Jan 2014 00:00:00 GMT';

  it.each<[string, Record<string, string>, boolean]>([
    ['no conditional header', {}, false],
    ['a matching If-None-Match', { 'if-none-match': '"x"' }, true],
    ['a non-matching If-None-Match', { 'if-none-match': '"y"' }, false],
    ['If-Modified-Since after Last-Modified', { 'if-modified-since': later }, true],
    ['If-Modified-Since before Last-Modified', { 'if-modified-since': earlier }, false],
    ['If-Modified-Since after now', { 'if-modified-since': 'Thu, 01 Jan 2099 00:00:00 GMT' }, false],
    // RFC 9110 §13.2.2: If-None-Match, when present, decides alone.
    ['a non-matching If-None-Match beside a satisfied If-Modified-Since', { 'if-none-match': '"y"', 'if-modified-since': later }, false],
    ['a matching If-None-Match beside an unsatisfied If-Modified-Since', { 'if-none-match': '"x"', 'if-modified-since': earlier }, true],
    ['an empty If-None-Match beside a satisfied If-Modified-Since', { 'if-none-match': '', 'if-modified-since': later }, false],
  ])('%s', (_name, headers, expected) => {
    expect(isNotModified(new Headers(headers), v, NOW)).toBe(expected);
  });

  it('passes the injected clock to the If-Modified-Since check', () => {
    const fresh = { etag: null, lastModified: 'Mon, 15 Jan 2024 11:00:00 GMT' };
    const since = new Headers({ 'if-modified-since': 'Mon, 15 Jan 2024 11:30:00 GMT' });
    expect(isNotModified(since, fresh, NOW)).toBe(true);
    // The same date is in the future for a clock an hour earlier: ignored.
    expect(isNotModified(since, fresh, NOW - 3_600_000)).toBe(false);
  });

  it('without a Last-Modified, If-Modified-Since never matches', () => {
    expect(isNotModified(new Headers({ 'if-modified-since': later }), { etag: '"x"', lastModified: null }, NOW)).toBe(false);
  });
});

describe('notModified', () => {
  it('answers 304 with no body, repeating exactly the headers RFC 9110 §15.4.5 names', async () => {
    const kept = {
      'cache-control': 'public, max-age=60',
      'content-location': '/a',
      date: NOW_TEXT,
      etag: '"x"',
      expires: 'Mon, 15 Jan 2024 12:01:00 GMT',
      vary: 'Accept-Encoding',
      'last-modified': LM,
      'server-timing': 'cache;desc="hit"',
    };
    const dropped = { 'content-type': 'text/html', 'content-length': '123', 'set-cookie': 'a=b', 'x-other': '1' };
    const response = notModified(new Headers({ ...kept, ...dropped }));
    expect(response.status).toBe(304);
    expect(response.body).toBeNull();
    expect(await response.text()).toBe('');
    expect(Object.fromEntries(response.headers)).toEqual(kept);
  });

  it('leaves out headers the original did not have', () => {
    const response = notModified(new Headers({ etag: '"x"' }));
    expect([...response.headers]).toEqual([['etag', '"x"']]);
  });
});

describe('httpDate', () => {
  it.each<[string | null | undefined, string | null]>([
    ['2015-10-21T07:28:00.000Z', 'Wed, 21 Oct 2015 07:28:00 GMT'],
    ['2024-01-15T11:59:59.000Z', 'Mon, 15 Jan 2024 11:59:59 GMT'],
    ['2024-01-15T12:00:00.000Z', NOW_TEXT],
    // Never later than now (RFC 9110 §8.8.2.1).
    ['2024-01-15T12:00:01.000Z', NOW_TEXT],
    ['2099-01-01T00:00:00.000Z', NOW_TEXT],
    ['not a date', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (iso, expected) => {
    expect(httpDate(iso, NOW)).toBe(expected);
  });

  it('uses the real clock when none is given', () => {
    expect(httpDate('2015-10-21T07:28:00.000Z')).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(Date.parse(httpDate('2999-01-01T00:00:00.000Z')!)).toBeLessThanOrEqual(Date.now());
  });
});
