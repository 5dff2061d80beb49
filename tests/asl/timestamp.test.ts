import { describe, expect, it } from 'vitest';
import { isChoiceTimestamp, parseChoiceTimestamp, timestampEpochMillis } from '../../lib/asl/timestamp.js';

describe('timestamps as AWS reads them', () => {
  it('reads the nanosecond timestamp AWS accepted in a Wait state', () => {
    expect(parseChoiceTimestamp('2016-03-05T21:29:29.243167252Z')).toEqual({ epochSeconds: 1457213369, nanos: 243167252 });
  });

  it('refuses the timestamps AWS refused in a Wait state: no offset, a space for T, month 13', () => {
    for (const text of ['2016-12-05T21:29:29', '2016-12-05 21:29:29Z', '2016-13-05T21:29:29Z', '05-12-2016T21:29:29Z']) {
      expect(isChoiceTimestamp(text)).toBe(false);
    }
  });

  it('gives the instant in milliseconds, dropping the digits a Date cannot hold', () => {
    expect(timestampEpochMillis(parseChoiceTimestamp('2016-03-05T21:29:29.243167252Z')!)).toBe(Date.UTC(2016, 2, 5, 21, 29, 29, 243));
    expect(timestampEpochMillis(parseChoiceTimestamp('2016-03-14T01:59:00+01:00')!)).toBe(Date.UTC(2016, 2, 14, 0, 59, 0));
  });
});
