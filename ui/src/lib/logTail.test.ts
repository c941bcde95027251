import { describe, expect, it } from 'vitest';
import { AFTER_END_MS, appendPage, EMPTY_TAIL, LIVE_DELAY_MS, logText, MAX_LINES, nextDelay, nextOffset, PAGE, searchLines, type LogLine } from './logTail';

const line = (i: number, text = `line ${i}`): LogLine => ({ created: `2026-12-03T10:00:${String(i % 60).padStart(2, '0')}Z`, stream: 'stdout', line: text });

describe('log tailing', () => {
  it('appends pages in order and asks for the next offset', () => {
    let { state } = appendPage(EMPTY_TAIL, { results: [line(0), line(1)], total: 2 });
    expect(nextOffset(state, 0)).toBe(2);
    ({ state } = appendPage(state, { results: [line(2)], total: 3 }));
    expect(state.lines.map((l) => l.line)).toEqual(['line 0', 'line 1', 'line 2']);
    expect(state.total).toBe(3);
  });
  it('asks again at once after a full page, after a pause while live, never once finished', () => {
    expect(nextDelay(PAGE, false)).toBe(0);
    expect(nextDelay(PAGE, true)).toBe(0);
    expect(nextDelay(3, true)).toBe(LIVE_DELAY_MS);
    expect(nextDelay(3, false)).toBeNull();
    expect(nextDelay(0, false)).toBeNull();
  });
  it('keeps reading a little after the end, when the output is stored', () => {
    expect(nextDelay(0, false, 2000)).toBe(LIVE_DELAY_MS);
    expect(nextDelay(0, false, AFTER_END_MS + 1)).toBeNull();
  });
  it('keeps at most MAX_LINES, counting the dropped ones in the offset', () => {
    const big = Array.from({ length: MAX_LINES }, (_, i) => line(i));
    let r = appendPage(EMPTY_TAIL, { results: big, total: MAX_LINES });
    expect(r.dropped).toBe(0);
    r = appendPage(r.state, { results: [line(1, 'newest')], total: MAX_LINES + 1 });
    expect(r.dropped).toBe(1);
    expect(r.state.lines.length).toBe(MAX_LINES);
    expect(r.state.lines[MAX_LINES - 1].line).toBe('newest');
    expect(nextOffset(r.state, r.dropped)).toBe(MAX_LINES + 1);
  });
  it('finds lines case-insensitively and writes a downloadable text', () => {
    const lines = [line(0, 'Starting'), { ...line(1, 'ERROR: disk full'), stream: 'stderr' as const }, line(2, 'error again')];
    expect(searchLines(lines, 'error')).toEqual([1, 2]);
    expect(searchLines(lines, '  ')).toEqual([]);
    expect(logText(lines.slice(0, 2))).toBe('2026-12-03T10:00:00Z Starting\n2026-12-03T10:00:01Z ERR ERROR: disk full\n');
  });
});
