import { Box, Progress, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import type { AnyEntity } from '../api/types';
import { duration, formatTime } from '../lib/time';
import { StateBadge } from './Cells';

const BAR_COLOURS: Record<string, string> = { COMPLETED: 'green', FAILED: 'red', RUNNING: 'blue', FINISHING: 'blue', QUEUED: 'cyan', PENDING: 'cyan', SKIPPED: 'gray' };

/**
 * A run's steps on one time axis, one row each: the name (a button, since short steps make thin bars), state,
 * attempt, times, progress and error, and a bar from start to end.
 */
export function Timeline({ steps, runStart, runEnd, selected, onSelect, now }: { steps: AnyEntity[]; runStart?: string | null; runEnd?: string | null; selected: string | null; onSelect: (id: string) => void; now: number }) {
  const starts = steps.map((s) => s.data.start_time as string | undefined).filter(Boolean).map((t) => Date.parse(t!));
  const t0 = runStart ? Date.parse(runStart) : starts.length ? Math.min(...starts) : now;
  const t1 = Math.max(runEnd ? Date.parse(runEnd) : now, t0 + 1000, ...steps.map((s) => (s.data.end_time ? Date.parse(String(s.data.end_time)) : 0)));
  const span = t1 - t0;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing={4} highlightOnHover aria-label="Steps of the run">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Step</Table.Th><Table.Th>State</Table.Th><Table.Th>Attempt</Table.Th><Table.Th>Started</Table.Th><Table.Th>Took</Table.Th>
            <Table.Th w="35%">Timeline</Table.Th><Table.Th>Error</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {steps.map((s) => {
            const d = s.data;
            const start = d.start_time ? Date.parse(String(d.start_time)) : null;
            const end = d.end_time ? Date.parse(String(d.end_time)) : start !== null ? now : null;
            const left = start !== null ? ((start - t0) / span) * 100 : 0;
            const width = start !== null && end !== null ? Math.max(0.8, ((end - start) / span) * 100) : 0;
            const progress = typeof d.progress === 'number' ? d.progress : Number(d.progress);
            return (
              <Table.Tr key={s.id} bg={selected === s.id ? 'var(--mantine-color-blue-light)' : undefined} data-step={String(d.name)}>
                <Table.Td>
                  <UnstyledButton onClick={() => onSelect(s.id)} fw={600} fz="sm" aria-pressed={selected === s.id} aria-label={`Step ${String(d.name)}`}>
                    {String(d.name)}
                  </UnstyledButton>
                </Table.Td>
                <Table.Td><StateBadge state={String(d.state)} /></Table.Td>
                <Table.Td><Text size="sm">{String(d.attempt ?? 0)}{d.retries ? ` / ${Number(d.retries) + 1}` : ''}</Text></Table.Td>
                <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{d.start_time ? formatTime(String(d.start_time)).slice(11) : ''}</Text></Table.Td>
                <Table.Td><Text size="sm">{duration(d.start_time as string, d.end_time as string, now)}</Text></Table.Td>
                <Table.Td>
                  <Box pos="relative" h={14} bg="var(--mantine-color-gray-1)" style={{ borderRadius: 3 }}>
                    {start !== null && (
                      <Tooltip label={`${formatTime(String(d.start_time))} - ${d.end_time ? formatTime(String(d.end_time)) : 'now'}`}>
                        <Box pos="absolute" top={0} h={14} left={`${left}%`} w={`${Math.min(width, 100 - left)}%`} bg={`var(--mantine-color-${BAR_COLOURS[String(d.state)] ?? 'gray'}-5)`} style={{ borderRadius: 3 }} />
                      </Tooltip>
                    )}
                  </Box>
                  {Number.isFinite(progress) && progress > 0 && progress < 1 && <Progress value={progress * 100} size="xs" mt={2} aria-label={`Progress of ${String(d.name)}`} />}
                </Table.Td>
                <Table.Td><Text size="sm" c="red" lineClamp={2}>{d.error_message ? String(d.error_message) : ''}</Text></Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
