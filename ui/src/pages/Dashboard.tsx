import { lazy, Suspense } from 'react';
import { Anchor, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useQueries, useQuery } from '@tanstack/react-query';
import { listEntities } from '../api/operations';
import { StateBadge, Time } from '../components/Cells';
import { itemHref } from '../lib/entities';

// cron reading pulls in a date library; the dashboard's first paint does not wait for it
const NextFires = lazy(() => import('./NextFires'));

const RUN_STATES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];
/** The dashboard looks again this often: what runs now changes without anyone on the page doing anything. */
const DASHBOARD_REFRESH_MS = 10_000;

export function Dashboard() {
  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  const running = useQuery({
    queryKey: ['dash-running'],
    queryFn: () => listEntities('/workflow/instance', { limit: 20, filters: JSON.stringify(['state IN QUEUED,RUNNING']), order_by: '["queued_time DESC"]' }),
    refetchInterval: DASHBOARD_REFRESH_MS,
  });
  const failed = useQuery({
    queryKey: ['dash-failed'],
    queryFn: () => listEntities('/workflow/instance', { limit: 20, filters: JSON.stringify(['state = FAILED', `updated >= ${since}`]), order_by: '["updated DESC"]' }),
    refetchInterval: DASHBOARD_REFRESH_MS,
  });
  const counts = useQueries({
    queries: RUN_STATES.map((state) => ({
      queryKey: ['dash-count', state],
      queryFn: () => listEntities('/workflow/instance', { limit: 1, filters: JSON.stringify([`state = ${state}`]) }),
      refetchInterval: DASHBOARD_REFRESH_MS,
    })),
  });
  const workflowNames = useWorkflowNames([...(running.data?.results ?? []), ...(failed.data?.results ?? [])].map((r) => String(r.data.workflow_id)));

  return (
    <Stack>
      <Title order={2}>Dashboard</Title>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
        {RUN_STATES.map((state, i) => (
          <Paper key={state} withBorder p="sm" component={Link} to="/runs" search={{ f: [`state = ${state}`] } as never} style={{ textDecoration: 'none', color: 'inherit' }} aria-label={`${counts[i].data?.total ?? 0} runs ${state}`}>
            <Group justify="space-between"><StateBadge state={state} /><Text fw={700} size="xl">{counts[i].data?.total ?? '-'}</Text></Group>
            <Text size="xs" c="dimmed">runs</Text>
          </Paper>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="sm">
          <Title order={4} mb="xs">Running now</Title>
          {(running.data?.results ?? []).length === 0 ? <Text c="dimmed" size="sm">Nothing runs now.</Text> : (
            <Table verticalSpacing={4} aria-label="Running now"><Table.Tbody>
              {running.data!.results.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td><Anchor component={Link} to={itemHref('workflow_instance', r.id)} size="sm">{workflowNames[String(r.data.workflow_id)] ?? r.id}</Anchor></Table.Td>
                  <Table.Td><StateBadge state={String(r.data.state)} /></Table.Td>
                  <Table.Td><Time value={r.data.start_time ?? r.data.queued_time} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody></Table>
          )}
        </Paper>
        <Paper withBorder p="sm">
          <Title order={4} mb="xs">Failed in the last 24 hours</Title>
          {(failed.data?.results ?? []).length === 0 ? <Text c="dimmed" size="sm">No failures.</Text> : (
            <Table verticalSpacing={4} aria-label="Failed in the last 24 hours"><Table.Tbody>
              {failed.data!.results.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td><Anchor component={Link} to={itemHref('workflow_instance', r.id)} size="sm">{workflowNames[String(r.data.workflow_id)] ?? r.id}</Anchor></Table.Td>
                  <Table.Td><Text size="sm" c="red" lineClamp={2}>{String(r.data.error_message ?? '')}</Text></Table.Td>
                  <Table.Td><Time value={r.data.end_time ?? r.updated} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody></Table>
          )}
        </Paper>
      </SimpleGrid>
      <Suspense fallback={null}><NextFires /></Suspense>
    </Stack>
  );
}

/** The names of these workflows, in one request. */
function useWorkflowNames(ids: string[]): Record<string, string> {
  const unique = [...new Set(ids)].sort();
  const q = useQuery({
    queryKey: ['workflow-names', unique],
    queryFn: () => listEntities('/workflow', { limit: unique.length, filters: JSON.stringify([`id IN ${unique.join(',')}`]) }),
    enabled: unique.length > 0,
    staleTime: 60_000,
  });
  return Object.fromEntries((q.data?.results ?? []).map((w) => [w.id, String(w.data.name)]));
}
