import { Code, Table, Text } from '@mantine/core';
import type { AnyEntity } from '../api/types';
import { ENTITY_LIST, type Column, type EntityDef } from '../lib/entities';
import { Cell } from './Cells';

const REF_KEYS: Record<string, Column> = Object.fromEntries(
  ENTITY_LIST.flatMap((d) => d.columns.filter((c) => c.kind === 'ref').map((c) => [c.key, c])),
);

/** An entity's fields as a two-column table; objects as JSON, times relative with the instant on hover. */
export function Details({ def, entity, omit = [] }: { def: EntityDef; entity: AnyEntity; omit?: string[] }) {
  const rows: [string, unknown, Column | undefined][] = [
    ['id', entity.id, { key: 'id', label: 'Id', kind: 'id' }],
    ['created', entity.created, { key: 'created', label: 'Created', kind: 'time' }],
    ['updated', entity.updated, { key: 'updated', label: 'Updated', kind: 'time' }],
    ...Object.entries(entity.data)
      .filter(([k, v]) => !omit.includes(k) && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]): [string, unknown, Column | undefined] => [k, v, def.columns.find((c) => c.key === k) ?? REF_KEYS[k] ?? (k.endsWith('_time') ? { key: k, label: k, kind: 'time' } : undefined)]),
  ];
  return (
    <Table withRowBorders={false} verticalSpacing={4} aria-label={`${def.label} details`}>
      <Table.Tbody>
        {rows.map(([k, v, column]) => (
          <Table.Tr key={k}>
            <Table.Th w={200} fw={500} c="dimmed" fz="sm" style={{ verticalAlign: 'top' }}>{k}</Table.Th>
            <Table.Td>
              {column && column.kind ? <Cell column={column} value={v} /> : typeof v === 'object' ? (
                <Code block fz="xs">{JSON.stringify(v, null, 2)}</Code>
              ) : <Text size="sm" style={{ wordBreak: 'break-word' }}>{String(v)}</Text>}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
