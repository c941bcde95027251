import { lazy, Suspense } from 'react';
import { Anchor, List, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { getEntity } from '../../api/operations';
import type { AnyEntity } from '../../api/types';
import { itemHref } from '../../lib/entities';
import type { EntityView } from '../EntityViewPage';

const CronReading = lazy(() => import('../../components/CronReading'));

function NamedRef({ type, id }: { type: 'trigger' | 'workflow'; id: string }) {
  const q = useQuery({ queryKey: ['entity', type, id], queryFn: () => getEntity(type, id), staleTime: 60_000 });
  return <Anchor component={Link} to={itemHref(type, id)} size="sm">{q.data ? String(q.data.data.name) : id}</Anchor>;
}

function Summary({ trigger }: { trigger: AnyEntity }) {
  const args = (trigger.data.args ?? {}) as Record<string, unknown>;
  const type = String(trigger.data.trigger_type_name);
  const workflows = (trigger.data.workflow_ids as string[] | undefined) ?? [];
  return (
    <Stack>
      {type === 'scheduled' && typeof args.cron_pattern === 'string' && (
        <Stack gap={4}><Title order={5}>Schedule <code>{args.cron_pattern}</code></Title><Suspense fallback={null}><CronReading pattern={args.cron_pattern} /></Suspense></Stack>
      )}
      {type === 'super' && (
        <Stack gap={4}>
          <Title order={5}>Fires after {args.fire_after === 'ALL' ? 'all' : 'any'} of these triggers</Title>
          <List size="sm">{((args.completed_trigger_ids as string[] | undefined) ?? []).map((id) => <List.Item key={id}><NamedRef type="trigger" id={id} /></List.Item>)}</List>
        </Stack>
      )}
      {type !== 'scheduled' && type !== 'super' && (
        <Table withRowBorders={false} aria-label="Trigger arguments"><Table.Tbody>
          {Object.entries(args).map(([k, v]) => <Table.Tr key={k}><Table.Th w={240} fz="sm" c="dimmed">{k}</Table.Th><Table.Td fz="sm">{String(v)}</Table.Td></Table.Tr>)}
        </Table.Tbody></Table>
      )}
      <Stack gap={4}>
        <Title order={5}>Runs these workflows</Title>
        {workflows.length ? <List size="sm">{workflows.map((id) => <List.Item key={id}><NamedRef type="workflow" id={id} /></List.Item>)}</List> : <Text c="dimmed" size="sm">None.</Text>}
      </Stack>
    </Stack>
  );
}

export const triggerView: EntityView = {
  tabs: [{ value: 'summary', label: 'Summary', render: (t) => <Summary trigger={t} /> }],
};

