import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Loader, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { cancelRun, getEntity, listEntities, resumeRun, runWorkflow } from '../api/operations';
import type { AnyEntity } from '../api/types';
import { useSession } from '../auth/session';
import { StateBadge, Time } from '../components/Cells';
import { Details } from '../components/Details';
import { LogViewer } from '../components/LogViewer';
import { Timeline } from '../components/Timeline';
import { ENTITIES, itemHref } from '../lib/entities';
import { isActionActive, isRunActive, runRefresh } from '../lib/live';
import { duration } from '../lib/time';

/** One run: its steps on a timeline, the chosen step's details and live log; cancel, resume, run again. */
export function RunPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const search = useSearch({ strict: false }) as { step?: string };
  const navigate = useNavigate();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());

  const steps = useQuery({
    queryKey: ['run-steps', id],
    queryFn: () => listEntities('/action', { limit: 1000, filters: JSON.stringify([`workflow_instance_id = ${id}`]), order_by: '["order_idx ASC"]' }),
  });
  const run = useQuery({
    queryKey: ['entity', 'workflow_instance', id],
    queryFn: () => getEntity('workflow_instance', id),
    refetchInterval: (q) => runRefresh(q.state.data?.data.state, (steps.data?.results ?? []).map((s) => s.data.state)),
  });
  const live = run.data ? runRefresh(run.data.data.state, (steps.data?.results ?? []).map((s) => s.data.state)) !== false : false;
  // the steps follow the run: refetched with it while it moves, never after
  useEffect(() => {
    if (run.dataUpdatedAt) steps.refetch();
  }, [run.dataUpdatedAt]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  const workflow = useQuery({
    queryKey: ['entity', 'workflow', run.data?.data.workflow_id],
    queryFn: () => getEntity('workflow', String(run.data!.data.workflow_id)),
    enabled: !!run.data?.data.workflow_id,
    staleTime: 60_000,
  });

  if (run.isLoading) return <Loader aria-label="Loading" />;
  if (run.error) return <Alert color="red" role="alert">{run.error.message}</Alert>;
  const r = run.data!;
  const d = r.data;
  const rows = steps.data?.results ?? [];
  const failed = rows.find((s) => s.data.state === 'FAILED');
  const selectedId = rows.find((s) => s.data.name === search.step)?.id ?? failed?.id ?? rows.find((s) => isActionActive(s.data.state))?.id ?? rows[0]?.id ?? null;
  const selected = rows.find((s) => s.id === selectedId);

  async function act(call: () => Promise<unknown>, then?: () => void) {
    setError(null);
    try {
      await call();
      await queryClient.invalidateQueries();
      then?.();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <Stack>
      <Stack gap={4}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>Run</Text>
        <Group justify="space-between" wrap="wrap">
          <Group gap="sm">
            <Title order={2}>{workflow.data ? String(workflow.data.data.name) : 'Run'}</Title>
            <Code>{r.id}</Code>
            <span data-testid="run-state"><StateBadge state={String(d.state)} /></span>
            {live && <Badge variant="dot" color="blue">live</Badge>}
          </Group>
          <Group gap="xs">
            {can.run && isRunActive(d.state) && <Button color="orange" variant="light" onClick={() => act(() => cancelRun(r.id))}>Cancel</Button>}
            {can.run && d.state === 'FAILED' && <Button onClick={() => act(() => resumeRun(r.id))}>Resume</Button>}
            {can.run && !isRunActive(d.state) && (
              <Button variant="default" onClick={() => act(() => runWorkflow(String(d.workflow_id), { parameters: d.parameters as Record<string, unknown> | undefined, callback_url: d.callback_url as string | undefined }),
                () => navigate({ to: itemHref('workflow', String(d.workflow_id)), search: { tab: 'runs' } as never }))}>Run again</Button>
            )}
            <Button variant="default" component={Link} to={`/graph/workflow_instance/${encodeURIComponent(r.id)}`}>Graph</Button>
          </Group>
        </Group>
        <Group gap="lg" fz="sm">
          <Text size="sm">Workflow: <Anchor component={Link} to={itemHref('workflow', String(d.workflow_id))}>{workflow.data ? String(workflow.data.data.name) : String(d.workflow_id)}</Anchor></Text>
          <Text size="sm">Started by: {String(d.trigger_type ?? 'manual')}{d.trigger_id ? <> (<Anchor component={Link} to={itemHref('trigger', String(d.trigger_id))}>trigger</Anchor>)</> : null}{d.user_id ? ` as ${String(d.user_id)}` : ''}</Text>
          <Text size="sm">Queued <Time value={d.queued_time} /></Text>
          {!!d.start_time && <Text size="sm">Took {duration(d.start_time as string, d.end_time as string, now)}</Text>}
          {Number(d.retry_num) > 0 && <Text size="sm">Retry {String(d.retry_num)}</Text>}
        </Group>
      </Stack>
      {error && <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>{error}</Alert>}
      {!!d.error_message && <Alert color="red" title="Run failed" data-testid="run-error">{String(d.error_message)}</Alert>}
      <Paper withBorder p="xs">
        <Timeline steps={rows} runStart={d.start_time as string} runEnd={d.end_time as string} selected={selectedId} now={now}
          onSelect={(sid) => navigate({ to: '.', search: { step: String(rows.find((s) => s.id === sid)?.data.name) } as never, replace: true })} />
      </Paper>
      {selected && <StepPanel step={selected} />}
      <Tabs defaultValue="parameters" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="parameters">Parameters</Tabs.Tab>
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="json">JSON</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="parameters" pt="xs"><Code block>{JSON.stringify(d.parameters ?? {}, null, 2)}</Code>{!!d.callback_url && <Text size="sm" mt="xs">Callback: {String(d.callback_url)}</Text>}</Tabs.Panel>
        <Tabs.Panel value="details" pt="xs"><Details def={ENTITIES.workflow_instance} entity={r} /></Tabs.Panel>
        <Tabs.Panel value="json" pt="xs"><Code block>{JSON.stringify(r, null, 2)}</Code></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function StepPanel({ step }: { step: AnyEntity }) {
  const d = step.data;
  return (
    <Paper withBorder p="sm">
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={4}>{String(d.name)}</Title>
            <StateBadge state={String(d.state)} />
            <Text size="sm" c="dimmed">{String(d.action_type_name)}</Text>
          </Group>
          <Anchor component={Link} to={itemHref('action', step.id)} size="sm">Open the action</Anchor>
        </Group>
        {!!d.error_message && <Alert color="red" title="Error" data-testid="step-error">{String(d.error_message)}</Alert>}
        <LogViewer actionId={step.id} live={isActionActive(d.state)} endTime={d.end_time as string | null} />
      </Stack>
    </Paper>
  );
}
