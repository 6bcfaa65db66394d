import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isValidTimeZone, parseDateString, readDateValue, zonedParts } from '../../../src/content/dates';
import { DATE_CASES, ZONED_CASES } from './helpers/date-cases.mts';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');

describe('parseDateString', () => {
  it.each(DATE_CASES.filter(([, , e]) => typeof e === 'string'))('reads %j in %s as %s', (text, zone, expected) => {
    expect(parseDateString(text, zone)).toEqual({ ok: true, iso: expected });
  });

  it.each(DATE_CASES.filter(([, , e]) => e instanceof RegExp))('refuses %j (%s) with a reason', (text, zone, expected) => {
    const result = parseDateString(text, zone);
    expect(result.ok).toBe(false);
    expect((result as { problem: string }).problem).toMatch(expected);
  });
});

describe('zonedParts', () => {
  it.each(ZONED_CASES)('gives the calendar fields of %s in %s', (iso, zone, expected) => {
    expect(zonedParts(iso, zone)).toEqual(expected);
  });

  it('refuses text that is not an ISO instant', () => {
    expect(() => zonedParts('Sun, 12 Sep 2021 18:08:39 GMT', 'UTC')).toThrow(TypeError);
  });
});

describe('readDateValue', () => {
  it.each([
    ['absent', undefined, { ok: true, iso: null }],
    ['null', null, { ok: true, iso: null }],
    ['blank', '  ', { ok: true, iso: null }],
    ['a date', '2021-08-07 02:22:05', { ok: true, iso: '2021-08-07T02:22:05.000Z' }],
  ])('reads %s', (_name, value, expected) => {
    expect(readDateValue(value, 'UTC')).toEqual(expected);
  });

  it.each([
    ['NaN (.nan)', Number.NaN, /NaN is a number, not a date/],
    ['a number', 20211028, /20211028 is a number/],
    ['a boolean', true, /is not a date/],
    ['a list', ['2021-10-28'], /is not a date/],
    ['a mapping', new Map([['a', 1]]), /is not a date/],
    ['an impossible date', '2021-02-30', /February 30 does not exist/],
  ])('refuses %s', (_name, value, reason) => {
    const result = readDateValue(value, 'UTC');
    expect(result.ok).toBe(false);
    expect((result as { problem: string }).problem).toMatch(reason);
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Asia/Shanghai', true],
    ['UTC', true],
    ['America/New_York', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%j → %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});

describe('dates do not depend on the process time zone', () => {
  const childOutput = async (tz: string) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'tests/node/content/helpers/date-table.mts'], {
      cwd: root,
      env: { ...process.env, TZ: tz },
    });
    return JSON.parse(stdout) as { processOffset: number; parsed: unknown[]; zoned: unknown[] };
  };

  it('gives the same results under TZ=UTC and TZ=Asia/Shanghai, and the expected ones', async () => {
    const [utc, shanghai] = await Promise.all([childOutput('UTC'), childOutput('Asia/Shanghai')]);
    // The zone really changed between the two processes …
    expect(utc.processOffset).toBe(0);
    expect(shanghai.processOffset).toBe(-480);
    // … and not one result did.
    expect(shanghai.parsed).toEqual(utc.parsed);
    expect(shanghai.zoned).toEqual(utc.zoned);
    expect(utc.parsed).toHaveLength(DATE_CASES.length);
    DATE_CASES.forEach(([, , expected], i) => {
      const got = utc.parsed[i] as { ok: boolean; iso?: string; problem?: string };
      if (typeof expected === 'string') expect(got).toEqual({ ok: true, iso: expected });
      else expect(got.problem).toMatch(expected);
    });
    expect(utc.zoned).toEqual(ZONED_CASES.map(([, , parts]) => parts));
  });
});
