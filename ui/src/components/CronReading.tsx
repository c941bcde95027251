import { List, Stack, Text } from '@mantine/core';
import { readCron } from '../lib/cron';
import { formatTime } from '../lib/time';

/** A cron pattern in plain words, and its next five times. */
export default function CronReading({ pattern }: { pattern: string }) {
  const r = readCron(pattern);
  if (r.error) return <Text c="red" size="sm">{r.error}</Text>;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600} data-testid="cron-reading">{r.text}</Text>
      <Text size="sm" c="dimmed">Next times (UTC):</Text>
      <List size="sm" data-testid="cron-next">{r.next.map((d) => <List.Item key={d.toISOString()}>{formatTime(d.toISOString())}</List.Item>)}</List>
    </Stack>
  );
}

