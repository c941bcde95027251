import { useMemo, useRef, type ReactNode } from 'react';
import { Anchor, Checkbox, Table, UnstyledButton, Group, Text, Center } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import type { AnyEntity } from '../api/types';
import { valueAt, type Column } from '../lib/entities';
import { nextSort, type Sort } from '../lib/paging';
import { Cell } from './Cells';

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, AnyEntity>();

export interface DataTableProps {
  columns: Column[];
  rows: AnyEntity[];
  sort?: Sort | null;
  onSort?: (sort: Sort | null) => void;
  selected?: Set<string>;
  onSelect?: (selected: Set<string>) => void;
  rowActions?: (row: AnyEntity) => ReactNode;
  /** The first column links to this page of the row (its entity's page). */
  rowHref?: (row: AnyEntity) => string;
  /** The rows are the previous page's while the next one loads: shown dimmed, never as fresh. */
  stale?: boolean;
  caption: string;
  empty?: ReactNode;
}

/** An entity table: the columns' cells, sortable headers, row selection and a row menu; no fetching of its own. */
export function DataTable({ columns, rows, sort, onSort, selected, onSelect, rowActions, rowHref, stale, caption, empty }: DataTableProps) {
  // the cells read the latest rowHref through a ref, so a new function each render does not rebuild the columns
  const href = useRef(rowHref);
  href.current = rowHref;
  const linked = !!rowHref;
  const defs = useMemo(
    () => helper.columns(columns.map((c, i) => helper.accessor((row: AnyEntity) => valueAt(row, c.key), {
      id: c.key,
      header: c.label,
      cell: (info) => (i === 0 && linked && href.current ? (
        <Anchor component={Link} to={href.current(info.row.original)} size="sm" ff={c.kind === 'id' ? 'monospace' : undefined}>{String(info.getValue() ?? info.row.original.id)}</Anchor>
      ) : <Cell column={c} value={info.getValue()} />),
    }))),
    [columns, linked],
  );
  const table = useTable({ features, columns: defs, data: rows, getRowId: (row: AnyEntity) => row.id });
  const allSelected = !!selected && rows.length > 0 && rows.every((r) => selected.has(r.id));

  function toggle(id: string) {
    if (!selected || !onSelect) return;
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  }

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover verticalSpacing={6} style={{ opacity: stale ? 0.55 : 1 }} aria-busy={stale || undefined}>
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }} className="visually-hidden">{caption}</Table.Caption>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {onSelect && (
                <Table.Th w={36}>
                  <Checkbox aria-label="Select all rows on this page" checked={allSelected}
                    indeterminate={!allSelected && rows.some((r) => selected!.has(r.id))}
                    onChange={() => onSelect(allSelected ? new Set() : new Set(rows.map((r) => r.id)))} />
                </Table.Th>
              )}
              {group.headers.map((header) => {
                const column = columns.find((c) => c.key === header.column.id)!;
                const active = sort?.key === column.key;
                const ariaSort = active ? (sort!.desc ? 'descending' : 'ascending') : 'none';
                return (
                  <Table.Th key={header.id} aria-sort={column.sortable ? ariaSort : undefined} style={{ whiteSpace: 'nowrap' }}>
                    {column.sortable && onSort ? (
                      <UnstyledButton onClick={() => onSort(nextSort(sort ?? null, column.key))} fw={600} fz="sm">
                        <Group gap={4} wrap="nowrap">
                          <table.FlexRender header={header} />
                          <Text span size="xs" c={active ? undefined : 'dimmed'} aria-hidden>{active ? (sort!.desc ? '▼' : '▲') : '↕'}</Text>
                        </Group>
                      </UnstyledButton>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </Table.Th>
                );
              })}
              {rowActions && <Table.Th w={48}><span className="visually-hidden">Actions</span></Table.Th>}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row) => (
            <Table.Tr key={row.id} data-row-id={row.id}>
              {onSelect && (
                <Table.Td>
                  <Checkbox aria-label={`Select ${row.id}`} checked={selected!.has(row.id)} onChange={() => toggle(row.id)} />
                </Table.Td>
              )}
              {row.getAllCells().map((cell) => (
                <Table.Td key={cell.id}>
                  <table.FlexRender cell={cell} />
                </Table.Td>
              ))}
              {rowActions && <Table.Td>{rowActions(row.original)}</Table.Td>}
            </Table.Tr>
          ))}
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns.length + (onSelect ? 1 : 0) + (rowActions ? 1 : 0)}>
                <Center p="md"><Text c="dimmed" size="sm">{empty ?? 'Nothing here.'}</Text></Center>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
