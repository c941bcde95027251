import { Badge, Group } from '@mantine/core';
import { itemHref, type Column } from '../lib/entities';
import { formatTime, relativeTime } from '../lib/time';
import { PlainLink } from './PlainLink';

export const STATE_COLOURS: Record<string, string> = {
  ACTIVE: 'green', COMPLETED: 'green', CONSUMED: 'green',
  RUNNING: 'blue', FINISHING: 'blue', GENERATING: 'blue', PENDING: 'cyan', QUEUED: 'cyan', ASSIGNED: 'cyan', RESERVED: 'cyan',
  FAILED: 'red', CANCELLED: 'orange', SKIPPED: 'gray', INACTIVE: 'gray', DONE: 'gray', HAS_NEVER_RUN: 'gray', TEMPLATE: 'violet', UNCONSUMED: 'gray',
};

export function StateBadge({ state }: { state: string | undefined | null }) {
  if (!state) return null;
  return <Badge color={STATE_COLOURS[state] ?? 'gray'} variant="light" radius="sm">{state}</Badge>;
}

/**
 * The state badge of a table cell: the look of {@link StateBadge} from Mantine's colour variables, as a plain span,
 * since a page shows a hundred of them.
 */
function CellState({ state }: { state: string }) {
  const colour = STATE_COLOURS[state] ?? 'gray';
  return <span className="cell-state" style={{ background: `var(--mantine-color-${colour}-light)`, color: `var(--mantine-color-${colour}-light-color)` }}>{state}</span>;
}

export function Time({ value }: { value: unknown }) {
  if (typeof value !== 'string' || !value) return null;
  // a native title, not a Tooltip component: tables show hundreds of these
  return <span className="cell-text nowrap" title={formatTime(value)}>{relativeTime(value)}</span>;
}

export function Cell({ column, value }: { column: Column; value: unknown }) {
  if (value === undefined || value === null || value === '') return null;
  switch (column.kind) {
    case 'state':
      return <CellState state={String(value)} />;
    case 'time':
      return <Time value={value} />;
    case 'ref':
      return column.ref ? <PlainLink className="cell-link mono" href={itemHref(column.ref, String(value))}>{String(value)}</PlainLink> : <>{String(value)}</>;
    case 'list':
      return Array.isArray(value) ? <Group gap={4}>{value.map((v) => <Badge key={String(v)} variant="outline" radius="sm" tt="none">{String(v)}</Badge>)}</Group> : null;
    case 'id':
      return <span className="cell-text mono">{String(value)}</span>;
    default:
      return <span className="cell-text clamp">{typeof value === 'object' ? JSON.stringify(value) : String(value)}</span>;
  }
}
