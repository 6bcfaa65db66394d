/**
 * Child process for dates.test.ts: reads the date table under whatever `TZ` it was started with
 * and prints the process's own zone offset and every result as JSON on stdout.
 */
import { parseDateString, zonedParts } from '../../../../src/content/dates.ts';
import { DATE_CASES, ZONED_CASES } from './date-cases.mts';

const out = {
  // 2021-01-01 local midnight: 0 under UTC, -480 under Asia/Shanghai. Proves TZ took effect.
  processOffset: new Date(2021, 0, 1).getTimezoneOffset(),
  parsed: DATE_CASES.map(([text, zone]) => parseDateString(text, zone)),
  zoned: ZONED_CASES.map(([iso, zone]) => zonedParts(iso, zone)),
};
process.stdout.write(JSON.stringify(out));
