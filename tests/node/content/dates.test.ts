import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
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

describe('dates against the runtime\'s own calendar (properties)', () => {
  // Oracles: Date's UTC fields (its proleptic Gregorian calendar, not our day counting) and
  // Intl.DateTimeFormat for zones. setUTCFullYear keeps years 0–99 as written (Date.UTC does not).
  const utcMillis = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => {
    const date = new Date(0);
    date.setUTCFullYear(y, mo - 1, d);
    date.setUTCHours(h, mi, s, ms);
    return date.getTime();
  };
  const daysIn = (y: number, mo: number) => new Date(utcMillis(mo + 1 > 12 ? y + 1 : y, mo + 1 > 12 ? 1 : mo + 1, 1) - 86_400_000).getUTCDate();
  const p2 = (n: number, w = 2) => String(n).padStart(w, '0');
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

  const dateTime = fc
    .record({
      y: fc.integer({ min: 1, max: 9999 }),
      mo: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 31 }),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      ms: fc.integer({ min: 0, max: 999 }),
    })
    .filter(({ y, mo, d }) => d <= daysIn(y, mo));

  it('checks its oracle: daysIn', () => {
    expect([daysIn(2021, 2), daysIn(2020, 2), daysIn(1900, 2), daysIn(2000, 2), daysIn(2021, 12), daysIn(2021, 4), daysIn(4, 2)]).toEqual([28, 29, 28, 29, 31, 30, 29]);
  });

  it('reads ISO 8601 with an offset as the runtime computes the instant', () => {
    fc.assert(
      fc.property(dateTime, fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }), ({ y, mo, d, h, mi, s, ms }, offset) => {
        const sign = offset < 0 ? '-' : '+';
        const text = `${p2(y, 4)}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}.${p2(ms, 3)}${sign}${p2(Math.floor(Math.abs(offset) / 60))}:${p2(Math.abs(offset) % 60)}`;
        const expected = new Date(utcMillis(y, mo, d, h, mi, s, ms) - offset * 60_000).toISOString();
        expect(parseDateString(text, 'Asia/Shanghai')).toEqual({ ok: true, iso: expected });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses the day after the last of each month, and accepts the last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), (y, mo) => {
        const last = daysIn(y, mo);
        expect(parseDateString(`${p2(y, 4)}-${p2(mo)}-${p2(last)}`)).toEqual({ ok: true, iso: new Date(utcMillis(y, mo, last)).toISOString() });
        const next = parseDateString(`${p2(y, 4)}-${p2(mo)}-${p2(last + 1)}`);
        expect(next).toEqual({ ok: false, problem: `${new Date(utcMillis(2001, mo, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' })} ${last + 1} does not exist in ${p2(y, 4)}` });
      }),
      { numRuns: 300 },
    );
  });

  it('reads RFC 2822 with its weekday, and refuses every other weekday', () => {
    fc.assert(
      fc.property(dateTime.filter(({ y }) => y >= 1000), fc.integer({ min: 1, max: 6 }), ({ y, mo, d, h, mi, s }, wrong) => {
        const weekday = new Date(utcMillis(y, mo, d)).getUTCDay();
        const rest = `${d} ${MONTHS[mo - 1]} ${y} ${p2(h)}:${p2(mi)}:${p2(s)} GMT`;
        expect(parseDateString(`${DAYS[weekday]}, ${rest}`)).toEqual({ ok: true, iso: new Date(utcMillis(y, mo, d, h, mi, s)).toISOString() });
        const other = parseDateString(`${DAYS[(weekday + wrong) % 7]}, ${rest}`);
        expect(other.ok).toBe(false);
        expect((other as { problem: string }).problem).toContain(`is not the weekday of ${d} ${MONTHS[mo - 1]} ${y} (a `);
      }),
      { numRuns: 300 },
    );
  });

  const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham'];
  const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2037, 11, 31) }).map((t) => Math.floor(t / 1000) * 1000);

  /** The wall clock of `t` in `zone`, from Intl (the oracle). */
  function wallOf(t: number, zone: string) {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(t);
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
  }

  it('gives the calendar fields Intl gives, in every zone', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        expect(zonedParts(new Date(t).toISOString(), zone)).toEqual(wallOf(t, zone));
      }),
      { numRuns: 300 },
    );
  });

  it('reads a zoneless wall time back to the earliest instant showing it', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const w = wallOf(t, zone);
        const text = `${w.year}-${p2(w.month)}-${p2(w.day)} ${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
        const result = parseDateString(text, zone);
        expect(result.ok).toBe(true);
        const back = Date.parse((result as { iso: string }).iso);
        // The same wall clock, at t or (when clocks went back) at the earlier instant showing it.
        expect(wallOf(back, zone)).toEqual(w);
        expect(back).toBeLessThanOrEqual(t);
        expect(t - back).toBeLessThanOrEqual(3 * 3_600_000);
      }),
      { numRuns: 300 },
    );
  });
});
