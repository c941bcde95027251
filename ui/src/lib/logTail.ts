// Tailing an action's output (GET /action/{id}/logs, paged oldest first). Pages are appended in order; while the
// action runs the tail asks again after a pause, and once it has finished it reads to the end and stops, so a
// finished action's page makes no periodic requests.

export interface LogLine {
  created: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface TailState {
  lines: LogLine[];
  /** The lines the server had at the last answer. */
  total: number;
}

export const PAGE = 1000;
export const LIVE_DELAY_MS = 1500;
/** An engine task's output is stored when it ends, just after its check-in: keep reading this long after the end. */
export const AFTER_END_MS = 15_000;
/** The most lines kept in the browser; beyond, the oldest are dropped (the download still has everything). */
export const MAX_LINES = 50_000;

export const EMPTY_TAIL: TailState = { lines: [], total: 0 };

/** The offset of the next page: the lines read so far, counted on the server's side (dropped ones included). */
export function nextOffset(state: TailState, dropped: number): number {
  return state.lines.length + dropped;
}

export function appendPage(state: TailState, page: { results: LogLine[]; total: number }): { state: TailState; dropped: number } {
  const all = state.lines.concat(page.results);
  const dropped = Math.max(0, all.length - MAX_LINES);
  return { state: { lines: dropped ? all.slice(dropped) : all, total: page.total }, dropped };
}

/**
 * When to ask again after a page of `count` lines: at once while whole pages come (more is waiting), after a pause
 * while the action runs or has just ended (`endedAgoMs`, null while it runs), never once it has long finished and
 * the last page was short.
 */
export function nextDelay(count: number, live: boolean, endedAgoMs: number | null = null): number | null {
  if (count >= PAGE) return 0;
  return live || (endedAgoMs !== null && endedAgoMs < AFTER_END_MS) ? LIVE_DELAY_MS : null;
}

/** The lines containing `text`, case-insensitive, with their positions (for "n of m" and scrolling). */
export function searchLines(lines: LogLine[], text: string): number[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [];
  const hits: number[] = [];
  lines.forEach((l, i) => {
    if (l.line.toLowerCase().includes(needle)) hits.push(i);
  });
  return hits;
}

/** The log as a text file: one line each, stderr lines marked. */
export function logText(lines: LogLine[]): string {
  return lines.map((l) => `${l.created} ${l.stream === 'stderr' ? 'ERR ' : ''}${l.line}`).join('\n') + (lines.length ? '\n' : '');
}
