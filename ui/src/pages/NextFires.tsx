import { Anchor, Paper, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { listEntities } from '../api/operations';
import { Time } from '../components/Cells';
import { readCron } from '../lib/cron';
import { itemHref } from '../lib/entities';
import { formatTime } from '../lib/time';

/** The next fire times of the active scheduled triggers, soonest first. */
export default function NextFires() {
  const scheduled = useQuery({
    queryKey: ['dash-scheduled'],
    queryFn: () => listEntities('/trigger', { limit: 200, filters: JSON.stringify(['trigger_type_name = scheduled', 'state = ACTIVE']) }),
  });
  const next = (scheduled.data?.results ?? [])
    .map((t) => ({ t, at: readCron(String((t.data.args as { cron_pattern?: string } | undefined)?.cron_pattern ?? ''), 1).next[0] }))
    .filter((x) => x.at)
    .sort((a, b) => a.at!.getTime() - b.at!.getTime())
    .slice(0, 10);
  return (
    <Paper withBorder p="sm">
      <Title order={4} mb="xs">Next scheduled runs</Title>
      {next.length === 0 ? <Text c="dimmed" size="sm">No active scheduled trigger.</Text> : (
        <Table verticalSpacing={4} aria-label="Next scheduled runs"><Table.Tbody>
          {next.map(({ t, at }) => (
            <Table.Tr key={t.id}>
              <Table.Td><Anchor component={Link} to={itemHref('trigger', t.id)} size="sm">{String(t.data.name)}</Anchor></Table.Td>
              <Table.Td><Text size="sm">{formatTime(at!.toISOString())} UTC</Text></Table.Td>
              <Table.Td><Time value={at!.toISOString()} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody></Table>
      )}
    </Paper>
  );
}
