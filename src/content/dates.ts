/**
 * Post dates, read without the process's time zone and without `Date.parse` (whose results on
 * anything but its own ISO format are implementation-defined, ECMA-262 §21.4.3.2).
 *
 * Two shapes occur in the corpus: RFC 2822 strings written by the feed generator
 * (`Sun, 12 Sep 2021 18:08:39 GMT`) and YAML timestamps (`2021-08-07 02:22:05`). A date without
 * a zone is read in the configured zone (the upload's `--timezone`, or the Hexo config's
 * `timezone`), never the machine's: `Sat, 13 Nov 2021 06:08:05` is 22:08Z the day before under
 * Asia/Shanghai and 06:08Z under UTC. Impossible values (month 13, 30 February, minute 60, a
 * weekday that is not the date's) are problems, never rolled over.
 */

/** Calendar fields in some zone: what Hexo's `:year/:month/:day` and archives use. */
export interface ZonedParts {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type DateParse = { ok: true; iso: string } | { ok: false; problem: string };

const MS_PER_DAY = 86_400_000;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * RFC 5322 §3.3 zones plus the obsolete names of §4.3 (and `UTC`, common in feeds). Military
 * one-letter zones other than `Z` are refused: §4.3 says their meaning is unknown.
 */
const NAMED_ZONES = new Map<string, number>([
  ['ut', 0],
  ['utc', 0],
  ['gmt', 0],
  ['z', 0],
  ['est', -300],
  ['edt', -240],
  ['cst', -360],
  ['cdt', -300],
  ['mst', -420],
  ['mdt', -360],
  ['pst', -480],
  ['pdt', -420],
]);

// YAML 1.1 timestamp (https://yaml.org/type/timestamp.html), ISO 8601 with `T` or spaces, and
// moment's `YYYY/MM/DD HH:mm:ss`, which Hexo accepts; one separator style per date.
const ISO_LIKE =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:[ \t]*(Z|z|[+-]\d{2}(?::?\d{2})?|[+-]\d))?$/;
// RFC 5322 §3.3 date-time (day name optional, 1–2 digit day, 2–4 digit year per §4.3).
const RFC_2822 =
  /^(?:([A-Za-z]+)[ \t]*,[ \t]*)?(\d{1,2})[ \t]+([A-Za-z]+)[ \t]+(\d{2,4})[ \t]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[ \t]*([+-]\d{4}|[A-Za-z]+))?$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Milliseconds since the epoch of a wall-clock time read as UTC. */
function wallMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC in minutes at the instant `utcMillis` (whole seconds). */
function zoneOffsetMinutes(timeZone: string, utcMillis: number): number {
  if (timeZone === 'UTC') return 0;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatterFor(timeZone).formatToParts(utcMillis)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value.startsWith('B');
        break;
    }
  }
  if (bc) year = 1 - year;
  const local = wallMillis(year, month, day, hour, minute, second, 0);
  const whole = Math.floor(utcMillis / 1000) * 1000;
  return Math.round((local - whole) / 60_000);
}

/** Checks that `timeZone` is an IANA name (or `UTC`) this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant at which the wall clock in `timeZone` shows `wall` (millis of the wall time read as
 * UTC). Ambiguous and skipped local times are resolved as Temporal's `"compatible"`
 * disambiguation does (https://tc39.es/proposal-temporal/#sec-temporal-disambiguatepossibleepochnanoseconds):
 * the earlier of two instants when clocks go back, and the offset from before the change when
 * they go forward (02:30 in a gap that skips 02:00–03:00 becomes 03:30).
 */
function zonedWallToUtc(wall: number, timeZone: string): number {
  if (timeZone === 'UTC') return wall;
  const before = zoneOffsetMinutes(timeZone, wall - MS_PER_DAY);
  const after = zoneOffsetMinutes(timeZone, wall + MS_PER_DAY);
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const utc = wall - offset * 60_000;
    if (zoneOffsetMinutes(timeZone, utc) === offset) candidates.push(utc);
  }
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap no offset fits: read the wall time with the offset in force before the change.
  return wall - before * 60_000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 in UTC with milliseconds, like `Date#toISOString` for years 0–9999. */
function toIso(utcMillis: number): string {
  return new Date(utcMillis).toISOString();
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

function checkFields(f: Fields): string | null {
  if (f.month < 1 || f.month > 12) return `month ${f.month} does not exist (01–12)`;
  if (f.day < 1 || f.day > daysInMonth(f.year, f.month)) {
    return `${MONTH_NAMES[f.month - 1]} ${f.day} does not exist in ${pad(f.year, 4)}`;
  }
  if (f.hour > 23) return `hour ${f.hour} is out of range (00–23)`;
  if (f.minute > 59) return `minute ${f.minute} is out of range (00–59)`;
  if (f.second > 59) return `second ${f.second} is out of range (00–59)`;
  return null;
}

/** `Z`, `+08:00`, `+0800`, `+08`, `-5` → minutes east of UTC, or a problem. */
function isoOffset(zone: string): number | string {
  if (zone === 'Z' || zone === 'z') return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (!m) return `unrecognised zone offset "${zone}"`;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 23 || minutes > 59) return `zone offset "${zone}" is out of range`;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function parseIsoLike(m: RegExpExecArray, timeZone: string): DateParse {
  const [, y, , mo, d, h, mi, s, frac, zone] = m;
  const fields: Fields = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    // Truncated to milliseconds (as moment's `SSS` reads a fraction), never rounded up a second.
    ms: frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0,
  };
  const problem = checkFields(fields);
  if (problem) return { ok: false, problem };
  const wall = wallMillis(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, fields.ms);
  if (zone === undefined) return { ok: true, iso: toIso(zonedWallToUtc(wall, timeZone)) };
  const offset = isoOffset(zone);
  if (typeof offset === 'string') return { ok: false, problem: offset };
  return { ok: true, iso: toIso(wall - offset * 60_000) };
}

function parseRfc2822(m: RegExpExecArray, timeZone: string): DateParse {
  const [, dayName, d, monthName, y, h, mi, s, zone] = m;
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase()) + 1;
  if (month === 0) return { ok: false, problem: `unknown month name "${monthName}" (expected Jan … Dec)` };
  // RFC 5322 §4.3: a 2-digit year 00–49 is 20xx, 50–99 is 19xx; a 3-digit year is 1900 + it.
  let year = Number(y);
  if (y!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (y!.length === 3) year += 1900;
  const fields: Fields = { year, month, day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s ?? 0), ms: 0 };
  const problem = checkFields(fields);
  if (problem) return { ok: false, problem };
  if (dayName !== undefined) {
    const named = WEEKDAYS.indexOf(dayName.toLowerCase());
    if (named < 0) return { ok: false, problem: `unknown day name "${dayName}" (expected Mon … Sun)` };
    // RFC 5322 §3.3: the day of the week, if given, MUST be the one the date implies.
    const actual = (((daysFromCivil(year, month, fields.day) + 4) % 7) + 7) % 7;
    if (named !== actual) {
      return {
        ok: false,
        problem: `"${dayName}" is not the weekday of ${fields.day} ${monthName} ${pad(year, 4)} (a ${WEEKDAY_NAMES[actual]})`,
      };
    }
  }
  const wall = wallMillis(year, month, fields.day, fields.hour, fields.minute, fields.second, 0);
  if (zone === undefined) return { ok: true, iso: toIso(zonedWallToUtc(wall, timeZone)) };
  let offset: number;
  if (zone.startsWith('+') || zone.startsWith('-')) {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(3, 5));
    // §3.3: the zone's minutes must be 00–59.
    if (minutes > 59) return { ok: false, problem: `zone "${zone}" has minutes out of range (00–59)` };
    offset = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  } else {
    const named = NAMED_ZONES.get(zone.toLowerCase());
    if (named === undefined) return { ok: false, problem: `unknown time zone "${zone}" (use GMT, UT, a US zone or ±hhmm)` };
    offset = named;
  }
  return { ok: true, iso: toIso(wall - offset * 60_000) };
}

/**
 * Reads a date written as RFC 2822 (`Sun, 12 Sep 2021 18:08:39 GMT`, optional day name, 1–2
 * digit day, 2–4 digit year, zone GMT/UT/UTC/Z/EST…PDT or ±hhmm), ISO 8601 / YAML timestamp
 * (`2021-10-28 14:08:07`, `2021-10-28T14:08:07.123+08:00`, `…Z`, date only) or
 * `2021/10/28 14:08:07`. Without a zone the wall time is read in `timeZone` (an IANA name).
 * Returns the instant as ISO 8601 UTC, or the reason the text is not a date.
 */
export function parseDateString(text: string, timeZone = 'UTC'): DateParse {
  const s = text.trim();
  if (s === '') return { ok: false, problem: 'the date is empty' };
  const iso = ISO_LIKE.exec(s);
  if (iso) return parseIsoLike(iso, timeZone);
  const rfc = RFC_2822.exec(s);
  if (rfc) return parseRfc2822(rfc, timeZone);
  return {
    ok: false,
    problem: `unrecognised date ${JSON.stringify(s)}: write it as RFC 2822 ("Sun, 12 Sep 2021 18:08:39 GMT") or ISO 8601 ("2021-09-12 18:08:39")`,
  };
}

/**
 * A front-matter date value (as the YAML core schema gives it): absent, null or blank means
 * undated (`{ ok: true, iso: null }`); a string is read by `parseDateString`; anything else
 * (a number, `.nan`, a list) is a problem.
 */
export function readDateValue(value: unknown, timeZone = 'UTC'): { ok: true; iso: string | null } | { ok: false; problem: string } {
  if (value === undefined || value === null) return { ok: true, iso: null };
  if (typeof value === 'string') {
    if (value.trim() === '') return { ok: true, iso: null };
    return parseDateString(value, timeZone);
  }
  if (typeof value === 'number') {
    return { ok: false, problem: `${String(value)} is a number, not a date: write it as "2021-09-12 18:08:39" or RFC 2822` };
  }
  return { ok: false, problem: 'is not a date: write it as "2021-09-12 18:08:39" or RFC 2822' };
}

const OWN_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

/**
 * Calendar fields of an instant (ISO 8601 UTC as produced here) in `timeZone`: Hexo formats
 * permalink dates and groups archives in the site's zone.
 */
export function zonedParts(iso: string, timeZone: string): ZonedParts {
  const m = OWN_ISO.exec(iso);
  if (!m) throw new TypeError(`zonedParts: not an ISO 8601 UTC instant: ${JSON.stringify(iso)}`);
  const utc = wallMillis(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? '0').padEnd(3, '0')));
  const local = utc + zoneOffsetMinutes(timeZone, utc) * 60_000;
  const days = Math.floor(local / MS_PER_DAY);
  const { year, month, day } = civilFromDays(days);
  const secondsOfDay = Math.floor((local - days * MS_PER_DAY) / 1000);
  return {
    year,
    month,
    day,
    hour: Math.floor(secondsOfDay / 3600),
    minute: Math.floor((secondsOfDay % 3600) / 60),
    second: secondsOfDay % 60,
  };
}
