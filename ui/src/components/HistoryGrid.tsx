import { Anchor, Box, Table, Text, Tooltip } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { listEntities } from '../api/operations';
import type { AnyEntity } from '../api/types';
import { itemHref } from '../lib/entities';
import { LIVE_REFRESH_MS, isRunActive } from '../lib/live';
import { formatTime } from '../lib/time';

const CELL: Record<string, string> = { COMPLETED: 'green', FAILED: 'red', RUNNING: 'blue', FINISHING: 'blue', QUEUED: 'cyan', PENDING: 'cyan', SKIPPED: 'gray', HAS_NEVER_RUN: 'gray', CANCELLED: 'orange' };

/** The last runs of a workflow (columns, newest right) by its steps (rows); a cell opens that step of that run. */
export function HistoryGrid({ workflowId, steps, runs = 25 }: { workflowId: string; steps: AnyEntity[]; runs?: number }) {
  const lastRuns = useQuery({
    queryKey: ['history-runs', workflowId, runs],
    queryFn: () => listEntities(`/workflow/${encodeURIComponent(workflowId)}/instance`, { limit: runs, order_by: '["created DESC"]' }),
    refetchInterval: (q) => ((q.state.data?.results ?? []).some((r) => isRunActive(r.data.state)) ? LIVE_REFRESH_MS : false),
  });
  const runList = [...(lastRuns.data?.results ?? [])].reverse();
  const ids = runList.map((r) => r.id);
  const cells = useQuery({
    queryKey: ['history-cells', ids, lastRuns.dataUpdatedAt],
    queryFn: () => listEntities('/action', { limit: 10000, filters: JSON.stringify([`workflow_instance_id IN ${ids.join(',')}`]) }),
    enabled: ids.length > 0,
  });
  const byRunAndName = new Map<string, AnyEntity>();
  for (const a of cells.data?.results ?? []) byRunAndName.set(`${a.data.workflow_instance_id}/${a.data.name}`, a);
  if (!runList.length) return <Text c="dimmed" size="sm">No runs yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={300}>
      <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={2} aria-label="Run history by step" style={{ width: 'auto' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {runList.map((r) => (
              <Table.Th key={r.id} p={2}>
                <Tooltip label={`${formatTime(String(r.data.queued_time ?? r.created))}: ${String(r.data.state)}`}>
                  <Anchor component={Link} to={itemHref('workflow_instance', r.id)} aria-label={`Run ${r.id}, ${String(r.data.state)}`}>
                    <Box w={18} h={18} bg={`var(--mantine-color-${CELL[String(r.data.state)] ?? 'gray'}-6)`} style={{ borderRadius: 9 }} />
                  </Anchor>
                </Tooltip>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {steps.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td pr="sm"><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{String(s.data.name)}</Text></Table.Td>
              {runList.map((r) => {
                const a = byRunAndName.get(`${r.id}/${s.data.name}`);
                const state = a ? String(a.data.state) : '';
                return (
                  <Table.Td key={r.id} p={2}>
                    {a ? (
                      <Tooltip label={`${String(s.data.name)}: ${state}${a.data.error_message ? ` - ${String(a.data.error_message)}` : ''}`}>
                        <Anchor component={Link} to={itemHref('workflow_instance', r.id)} search={{ step: String(s.data.name) } as never} aria-label={`${String(s.data.name)} in run ${r.id}: ${state}`}>
                          <Box w={18} h={18} bg={`var(--mantine-color-${CELL[state] ?? 'gray'}-${state === 'HAS_NEVER_RUN' ? 2 : 5})`} style={{ borderRadius: 3 }} />
                        </Anchor>
                      </Tooltip>
                    ) : <Box w={18} h={18} />}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
