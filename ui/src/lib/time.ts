import dayjs from 'dayjs';
import relative from 'dayjs/plugin/relativeTime';
import utc from 'dayjs/plugin/utc';

dayjs.extend(relative);
dayjs.extend(utc);

export function formatTime(iso: string): string {
  return dayjs(iso).format('YYYY-MM-DD HH:mm:ss');
}

export function relativeTime(iso: string, now: number = Date.now()): string {
  return dayjs(iso).from(dayjs(now));
}

/** A duration between two instants (or until now), as "1h 02m", "3m 05s" or "4.2s". */
export function duration(startIso: string | undefined | null, endIso?: string | null, now: number = Date.now()): string {
  if (!startIso) return '';
  const ms = (endIso ? Date.parse(endIso) : now) - Date.parse(startIso);
  if (!(ms >= 0)) return '';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(sec).padStart(2, '0')}s`;
}
