import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue';

// dart's scheduled triggers take the original's six fields (minute hour day-of-month month day-of-week year, with
// `?`) or five-field UNIX cron, in UTC (README, Triggers). Both read here as five fields; a year field other than
// `*` narrows the times further, which the reading says.

export interface CronReading {
  text: string;
  next: Date[];
  error?: string;
}

/** The five UNIX fields of a pattern, and its year field when it has one. */
export function toFiveFields(pattern: string): { fields: string; year: string | null } {
  const parts = pattern.trim().split(/\s+/);
  if (parts.length === 6) return { fields: parts.slice(0, 5).join(' ').replace(/\?/g, '*'), year: parts[5] };
  return { fields: parts.join(' ').replace(/\?/g, '*'), year: null };
}

export function readCron(pattern: string, count = 5, from: Date = new Date()): CronReading {
  const parts = pattern.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    return { text: '', next: [], error: `a cron pattern has 5 or 6 fields, this one has ${parts.length}` };
  }
  const { fields, year } = toFiveFields(pattern);
  try {
    const text = cronstrue.toString(fields, { use24HourTimeFormat: true, verbose: false }) + ' (UTC)' + (year && year !== '*' ? `, in ${year}` : '');
    const years = year && year !== '*' ? yearFilter(year) : null;
    const it = CronExpressionParser.parse(fields, { currentDate: from, tz: 'UTC' });
    const next: Date[] = [];
    for (let i = 0; next.length < count && i < 1000; i++) {
      const d = it.next().toDate();
      if (years && d.getUTCFullYear() > years.max) break;
      if (!years || years.has(d.getUTCFullYear())) next.push(d);
    }
    return { text, next };
  } catch (e) {
    return { text: '', next: [], error: e instanceof Error ? e.message : String(e) };
  }
}

function yearFilter(year: string): { has: (y: number) => boolean; max: number } {
  const set = new Set<number>();
  for (const part of year.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let y = a; y <= (b || a); y++) set.add(y);
  }
  return { has: (y) => set.has(y), max: Math.max(...set) };
}
