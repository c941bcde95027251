import { describe, expect, it } from 'vitest';
import { readCron, toFiveFields } from './cron';

const from = new Date('2026-12-03T09:30:00Z');

describe('cron', () => {
  it('reads the original six-field form with ? and a year', () => {
    expect(toFiveFields('0 10 * * ? *')).toEqual({ fields: '0 10 * * *', year: '*' });
    const r = readCron('0 10 * * ? *', 5, from);
    expect(r.text).toContain('10:00');
    expect(r.next.map((d) => d.toISOString())).toEqual([
      '2026-12-03T10:00:00.000Z', '2026-12-04T10:00:00.000Z', '2026-12-05T10:00:00.000Z', '2026-12-06T10:00:00.000Z', '2026-12-07T10:00:00.000Z',
    ]);
  });
  it('reads five-field UNIX cron in UTC', () => {
    const r = readCron('*/5 * * * *', 2, from);
    expect(r.text).toMatch(/every 5 minutes/i);
    expect(r.next.map((d) => d.toISOString())).toEqual(['2026-12-03T09:35:00.000Z', '2026-12-03T09:40:00.000Z']);
  });
  it('keeps only the years a year field allows', () => {
    const r = readCron('0 0 1 1 ? 2028', 5, from);
    expect(r.next.map((d) => d.toISOString())).toEqual(['2028-01-01T00:00:00.000Z']);
  });
  it('says what is wrong with a bad pattern', () => {
    expect(readCron('every day').error).toMatch(/5 or 6 fields/);
    expect(readCron('99 * * * *').error).toBeTruthy();
  });
});
