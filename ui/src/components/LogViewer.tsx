import { useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Box, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { api } from '../api/client';
import { downloadText } from '../lib/download';
import { appendPage, EMPTY_TAIL, logText, nextDelay, nextOffset, PAGE, searchLines, type LogLine, type TailState } from '../lib/logTail';

const SHOWN = 2000;

/** An action's output: tails live while `live`, reads to the end and stops otherwise; searchable, downloadable. */
export function LogViewer({ actionId, live, endTime }: { actionId: string; live: boolean; endTime?: string | null }) {
  const [tail, setTail] = useState<TailState>(EMPTY_TAIL);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const liveRef = useRef(live);
  liveRef.current = live;

  useEffect(() => {
    let state = EMPTY_TAIL;
    let dropped = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    setTail(EMPTY_TAIL);
    async function read() {
      try {
        const page = await api.get<{ results: LogLine[]; total: number }>(`/action/${encodeURIComponent(actionId)}/logs`, { limit: PAGE, offset: nextOffset(state, dropped) });
        if (stopped) return;
        const r = appendPage(state, page);
        state = r.state;
        dropped += r.dropped;
        setTail(state);
        setError(null);
        const delay = nextDelay(page.results.length, liveRef.current, endTime ? Date.now() - Date.parse(endTime) : null);
        if (delay !== null) timer = setTimeout(read, delay);
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
    }
    read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [actionId, live, endTime]);

  const hits = useMemo(() => searchLines(tail.lines, search), [tail.lines, search]);
  const shown = search.trim() ? hits.slice(-SHOWN).map((i) => tail.lines[i]) : tail.lines.slice(-SHOWN);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown.length, follow, tail]);

  return (
    <Stack gap="xs">
      <Group gap="xs" justify="space-between" wrap="wrap">
        <Group gap="xs">
          <TextInput size="xs" w={220} aria-label="Search the log" placeholder="Search the log" value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
          {search.trim() && <Text size="xs" c="dimmed" aria-live="polite">{hits.length} matching lines</Text>}
          {live && <Badge color="blue" variant="dot">live</Badge>}
        </Group>
        <Group gap="xs">
          <Text size="xs" c="dimmed">{tail.total} lines</Text>
          <Button size="xs" variant="default" onClick={() => setFollow((f) => !f)} aria-pressed={follow}>{follow ? 'Following' : 'Follow'}</Button>
          <Button size="xs" variant="default" onClick={() => downloadText(logText(tail.lines), `action-${actionId}.log`)} disabled={!tail.lines.length}>Download</Button>
        </Group>
      </Group>
      {error && <Text c="red" size="sm" role="alert">{error}</Text>}
      <Box ref={box} role="log" aria-label="Action output" tabIndex={0} mah={360} style={{ overflow: 'auto', background: 'var(--mantine-color-dark-7)', color: 'var(--mantine-color-gray-2)', borderRadius: 4, padding: 8, fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
          if (!atBottom && follow) setFollow(false);
        }}>
        {shown.length === 0 ? <Text size="xs" c="dimmed">{search.trim() ? 'No line matches.' : 'No output.'}</Text> : shown.map((l, i) => (
          <div key={i} style={{ color: l.stream === 'stderr' ? 'var(--mantine-color-red-3)' : undefined }}>{l.line}</div>
        ))}
      </Box>
      {tail.lines.length > SHOWN && <Text size="xs" c="dimmed">Showing the last {SHOWN} lines{search.trim() ? ' that match' : ''}; the download has every line read.</Text>}
    </Stack>
  );
}
