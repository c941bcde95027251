import { Button, Group, Stack, Text } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { listEntities } from '../../api/operations';
import type { AnyEntity } from '../../api/types';
import { useSession } from '../../auth/session';
import { HistoryGrid } from '../../components/HistoryGrid';
import { RunNow } from '../../components/RunNow';
import { SubList } from '../../components/SubList';
import { ENTITIES, itemHref } from '../../lib/entities';
import { isRunActive, LIVE_REFRESH_MS } from '../../lib/live';
import type { EntityView } from '../EntityViewPage';

const STEP_COLUMNS = [
  { key: 'order_idx', label: '#', kind: 'number' as const, sortable: true },
  { key: 'name', label: 'Step', sortable: true },
  { key: 'action_type_name', label: 'Type' },
  { key: 'depends_on', label: 'Depends on', kind: 'list' as const },
  { key: 'on_failure', label: 'On failure' },
  { key: 'retries', label: 'Retries', kind: 'number' as const },
  { key: 'timeout_seconds', label: 'Timeout (s)', kind: 'number' as const },
];

function useSteps(workflowId: string) {
  return useQuery({
    queryKey: ['steps', workflowId],
    queryFn: () => listEntities('/action', { limit: 500, filters: JSON.stringify([`workflow_id = ${workflowId}`, 'state = TEMPLATE']), order_by: '["order_idx ASC"]' }),
  });
}

function Steps({ workflow }: { workflow: AnyEntity }) {
  const { can } = useSession();
  return (
    <Stack gap="xs">
      {can.edit && (
        <Group>
          <Button size="xs" component={Link} to="/actions/new" search={{ workflow_id: workflow.id } as never}>Add step</Button>
          <Button size="xs" variant="default" component={Link} to={`/workflow/${encodeURIComponent(workflow.id)}/editor`}>Open in the editor</Button>
        </Group>
      )}
      <SubList def={ENTITIES.action} caption="Steps" columns={STEP_COLUMNS} filters={[`workflow_id = ${workflow.id}`, 'state = TEMPLATE']} sort={{ key: 'order_idx', desc: false }} />
    </Stack>
  );
}

function History({ workflow }: { workflow: AnyEntity }) {
  const steps = useSteps(workflow.id);
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">The last 25 runs, oldest left; each cell opens that step of that run.</Text>
      <HistoryGrid workflowId={workflow.id} steps={steps.data?.results ?? []} />
    </Stack>
  );
}

function RunNowButton({ workflow }: { workflow: AnyEntity }) {
  const { can } = useSession();
  const navigate = useNavigate();
  if (!can.run) return null;
  return <RunNow workflowId={workflow.id} onStarted={() => navigate({ to: itemHref('workflow', workflow.id), search: { tab: 'runs' } as never })} />;
}

export const workflowView: EntityView = {
  buttons: (w) => <RunNowButton workflow={w} />,
  tabs: [
    { value: 'steps', label: 'Steps', render: (w) => <Steps workflow={w} /> },
    { value: 'history', label: 'History', render: (w) => <History workflow={w} /> },
    {
      value: 'runs', label: 'Runs', render: (w) => (
        <SubList def={ENTITIES.workflow_instance} caption="Runs" path={`/workflow/${encodeURIComponent(w.id)}/instance`}
          columns={ENTITIES.workflow_instance.columns.filter((c) => c.key !== 'workflow_id')}
          liveWhile={(rows) => (rows.some((r) => isRunActive(r.data.state)) ? LIVE_REFRESH_MS : false)} />
      ),
    },
    { value: 'triggers', label: 'Triggers', render: (w) => <SubList def={ENTITIES.trigger} caption="Triggers" filters={[`workflow_ids = ${w.id}`]} /> },
  ],
};
