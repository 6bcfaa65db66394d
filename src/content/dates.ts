/**
 * Post dates come in two shapes (see the corpus README): RFC 2822 strings written by the feed
 * generator (`Sat, 13 Nov 2021 06:08:05 GMT`) and YAML timestamps (`2021-10-28 14:08:07`).
 * Hexo reads a timestamp without an offset in the site's timezone, so we do too (UTC by default).
 */

const YAML_TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?[ \t]*(Z|[+-]\d{1,2}(?::?\d{2})?)?$/;
const RFC_2822 = /^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[A-Z]{1,5}|[+-]\d{4})?$/;

/** Offset of `timeZone` from UTC, in minutes, at the given UTC instant. */
function zoneOffsetMinutes(timeZone: string, utcMillis: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMillis / 1000) * 1000) / 60_000);
}

/** Checks that `timeZone` is an IANA name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses a front-matter date (string, or a Date if a YAML loader produced one) into ISO 8601 UTC.
 * Returns null when the value cannot be read as a date.
 */
export function parsePostDate(value: unknown, timeZone = 'UTC'): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const m = YAML_TIMESTAMP.exec(text);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
    const ms = Math.round(Number(`0.${frac}`) * 1000);
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
    const check = new Date(wall);
    // Reject impossible dates (2021-02-30) rather than letting Date roll them over.
    if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23) return null;
    let utc: number;
    if (zone === 'Z') utc = wall;
    else if (zone) {
      const z = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
      if (!z) return null;
      const minutes = Number(z[2]) * 60 + Number(z[3] ?? 0);
      utc = wall - (z[1] === '-' ? -1 : 1) * minutes * 60_000;
    } else {
      // Two passes settle the offset across a DST change.
      let offset = zoneOffsetMinutes(timeZone, wall);
      offset = zoneOffsetMinutes(timeZone, wall - offset * 60_000);
      utc = wall - offset * 60_000;
    }
    return new Date(utc).toISOString();
  }
  if (RFC_2822.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  return null;
}
