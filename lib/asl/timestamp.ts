// Timestamps as AWS reads them: the Choice state's IsTimestamp and Timestamp* operators, the Wait
// state's Timestamp and TimestampPath, and the definition checks at creation, so all of them agree.
//
// The ASL spec asks for RFC 3339 with an upper-case T and Z. What AWS actually parses is Java's
// ISO_OFFSET_DATE_TIME: its Wait state rejects a bad timestamp with "does not reference a valid ISO-8601
// extended offset date-time format string", which is that formatter's own description, and the recorded
// Wait cases agree with it (nanoseconds accepted; a missing offset, a space for T, hour 25 or month 13
// rejected). So this reader follows that formatter, including what it tolerates beyond RFC 3339:
// lower-case 't' and 'z' (it parses case-insensitively), omitted seconds, `+HH:MM:SS` offsets.

/** An instant with nanosecond precision: 2016-03-05T21:29:29.243167252Z keeps every digit. */
export interface ChoiceTimestamp {
  readonly epochSeconds: number;
  readonly nanos: number;
}

const ISO_OFFSET_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{0,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2})(?::(\d{2}))?)$/;

/** Java's ZoneOffset refuses anything beyond ±18:00. */
const MAX_OFFSET_SECONDS = 18 * 3600;

/** undefined when `text` is not a timestamp AWS accepts. */
export function parseChoiceTimestamp(text: string): ChoiceTimestamp | undefined {
  const match = ISO_OFFSET_DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const second = match[6] === undefined ? 0 : Number(match[6]);
  // Java's resolver is strict: no 24:00, no leap second, no 30 February.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;

  let offsetSeconds = 0;
  if (match[9] !== undefined) {
    const [offsetHours, offsetMinutes, offsetSecondsPart] = [match[10], match[11], match[12] ?? '0'].map(Number) as [number, number, number];
    if (offsetMinutes > 59 || offsetSecondsPart > 59) return undefined;
    offsetSeconds = offsetHours * 3600 + offsetMinutes * 60 + offsetSecondsPart;
    if (offsetSeconds > MAX_OFFSET_SECONDS) return undefined;
    if (match[9] === '-') offsetSeconds = -offsetSeconds;
  }

  const fraction = match[7] ?? '';
  const nanos = fraction === '' ? 0 : Number(fraction.padEnd(9, '0'));
  const epochSeconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  return { epochSeconds, nanos };
}

export function isChoiceTimestamp(value: unknown): boolean {
  return typeof value === 'string' && parseChoiceTimestamp(value) !== undefined;
}

/** Milliseconds since the epoch, sub-millisecond digits dropped: what a Date or a timer can hold. */
export function timestampEpochMillis(timestamp: ChoiceTimestamp): number {
  return timestamp.epochSeconds * 1000 + Math.floor(timestamp.nanos / 1_000_000);
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareTimestamps(a: ChoiceTimestamp, b: ChoiceTimestamp): number {
  return a.epochSeconds - b.epochSeconds || a.nanos - b.nanos;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil), so years
// 0000–0099 are not read as 1900–1999 the way Date.UTC reads them.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
