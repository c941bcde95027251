import { Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AnyEntity, ElementStat } from '../../api/types';
import { StateBadge } from '../../components/Cells';
import { SubList } from '../../components/SubList';
import type { Column } from '../../lib/entities';
import { ENTITIES } from '../../lib/entities';
import { LIVE_REFRESH_MS } from '../../lib/live';
import type { EntityView } from '../EntityViewPage';

const ELEMENT_COLUMNS: Column[] = [
  { key: 's3_path', label: 'S3 path', sortable: true },
  { key: 'file_size', label: 'Size (bytes)', kind: 'number', sortable: true },
  { key: 'state', label: 'State', kind: 'state', sortable: true },
  { key: 'action_id', label: 'Action', kind: 'ref', ref: 'action' },
  { key: 'batch_id', label: 'Batch' },
  { key: 'created', label: 'Seen', kind: 'time', sortable: true },
];

function Stats({ subscription }: { subscription: AnyEntity }) {
  const generating = subscription.data.state === 'QUEUED' || subscription.data.state === 'GENERATING';
  const stats = useQuery({
    queryKey: ['element-stats', subscription.id],
    queryFn: async () => (await api.get<{ results: ElementStat[] }>(`/subscription/${encodeURIComponent(subscription.id)}/element_stats`)).results,
    refetchInterval: generating ? LIVE_REFRESH_MS : false,
  });
  const rows = stats.data ?? [];
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
      {rows.length === 0 && <Text c="dimmed" size="sm">No files yet.</Text>}
      {rows.map((s) => (
        <Paper key={s.state} withBorder p="sm">
          <Group justify="space-between"><StateBadge state={s.state} /><Text fw={700} size="xl">{s.count}</Text></Group>
          <Text size="xs" c="dimmed">{s.file_size_sum} bytes</Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

export const subscriptionView: EntityView = {
  refresh: (s) => (s.data.state === 'QUEUED' || s.data.state === 'GENERATING' ? LIVE_REFRESH_MS : false),
  tabs: [
    {
      value: 'elements', label: 'Elements', render: (s) => (
        <Stack>
          <Stats subscription={s} />
          <SubList def={ENTITIES.subscription} menu={false} caption="Elements" path={`/subscription/${encodeURIComponent(s.id)}/elements`} columns={ELEMENT_COLUMNS} sort={{ key: 's3_path', desc: false }} />
        </Stack>
      ),
    },
  ],
};
