import { Anchor, Badge, Group, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { itemHref, type Column } from '../lib/entities';
import { formatTime, relativeTime } from '../lib/time';

export const STATE_COLOURS: Record<string, string> = {
  ACTIVE: 'green', COMPLETED: 'green', CONSUMED: 'green',
  RUNNING: 'blue', FINISHING: 'blue', GENERATING: 'blue', PENDING: 'cyan', QUEUED: 'cyan', ASSIGNED: 'cyan', RESERVED: 'cyan',
  FAILED: 'red', CANCELLED: 'orange', SKIPPED: 'gray', INACTIVE: 'gray', DONE: 'gray', HAS_NEVER_RUN: 'gray', TEMPLATE: 'violet', UNCONSUMED: 'gray',
};

export function StateBadge({ state }: { state: string | undefined | null }) {
  if (!state) return null;
  return <Badge color={STATE_COLOURS[state] ?? 'gray'} variant="light" radius="sm">{state}</Badge>;
}

export function Time({ value }: { value: unknown }) {
  if (typeof value !== 'string' || !value) return null;
  // a native title, not a Tooltip component: tables show hundreds of these
  return <Text span size="sm" style={{ whiteSpace: 'nowrap' }} title={formatTime(value)}>{relativeTime(value)}</Text>;
}

export function Cell({ column, value }: { column: Column; value: unknown }) {
  if (value === undefined || value === null || value === '') return null;
  switch (column.kind) {
    case 'state':
      return <StateBadge state={String(value)} />;
    case 'time':
      return <Time value={value} />;
    case 'ref':
      return column.ref ? <Anchor component={Link} to={itemHref(column.ref, String(value))} size="sm" ff="monospace">{String(value)}</Anchor> : <>{String(value)}</>;
    case 'list':
      return Array.isArray(value) ? <Group gap={4}>{value.map((v) => <Badge key={String(v)} variant="outline" radius="sm" tt="none">{String(v)}</Badge>)}</Group> : null;
    case 'id':
      return <Text span size="sm" ff="monospace">{String(value)}</Text>;
    default:
      return <Text span size="sm" lineClamp={2}>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</Text>;
  }
}
