import { memo, useMemo, useRef, type ReactNode } from 'react';
import { Table, UnstyledButton, Group, Text, Center } from '@mantine/core';
import { createColumnHelper, FlexRender, tableFeatures, useTable, type Row } from '@tanstack/react-table';
import type { AnyEntity } from '../api/types';
import { valueAt, type Column } from '../lib/entities';
import { nextSort, type Sort } from '../lib/paging';
import { Cell } from './Cells';
import { PlainLink } from './PlainLink';

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
        <PlainLink className={c.kind === 'id' ? 'cell-link mono' : 'cell-link'} href={href.current(info.row.original)}>{String(info.getValue() ?? info.row.original.id)}</PlainLink>
      ) : <Cell column={c} value={info.getValue()} />),
    }))),
    [columns, linked],
  );
  const table = useTable({ features, columns: defs, data: rows, getRowId: (row: AnyEntity) => row.id });
  const allSelected = !!selected && rows.length > 0 && rows.every((r) => selected.has(r.id));

  // rows read the latest selection and row menu through refs, so that a render with the same rows (the previous
  // page shown dimmed while the next loads, a selection) re-renders only the rows whose own props changed
  const latest = useRef({ selected, onSelect, rowActions });
  latest.current = { selected, onSelect, rowActions };
  const toggle = useRef((id: string) => {
    const { selected: current, onSelect: select } = latest.current;
    if (!current || !select) return;
    const next = new Set(current);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    select(next);
  }).current;
  const actions = useRef((row: AnyEntity) => latest.current.rowActions?.(row)).current;

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover verticalSpacing={6} style={{ opacity: stale ? 0.55 : 1 }} aria-busy={stale || undefined}>
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }} className="visually-hidden">{caption}</Table.Caption>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {onSelect && (
                <Table.Th w={36}>
                  <input type="checkbox" className="row-check" aria-label="Select all rows on this page" checked={allSelected}
                    ref={(el) => { if (el) el.indeterminate = !allSelected && rows.some((r) => selected!.has(r.id)); }}
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
            <DataRow key={row.id} row={row} checked={onSelect ? selected!.has(row.id) : undefined} onToggle={toggle}
              actions={rowActions ? actions : undefined} />
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

interface DataRowProps {
  row: Row<typeof features, AnyEntity>;
  /** Undefined when rows cannot be selected. */
  checked: boolean | undefined;
  onToggle: (id: string) => void;
  actions?: (row: AnyEntity) => ReactNode;
}

// Rows are plain elements with Mantine's table classes and data attributes: a page of a hundred rows then renders
// a thousand cells without a component, a context read and a style resolution each, and looks the same.
const TR_CLASS = Table.Tr.classes.tr;
const TD_CLASS = Table.Td.classes.td;

const DataRow = memo(function DataRow({ row, checked, onToggle, actions }: DataRowProps) {
  return (
    <tr className={TR_CLASS} data-with-row-border data-striped="odd" data-hover data-row-id={row.id}>
      {checked !== undefined && (
        <td className={TD_CLASS}>
          <input type="checkbox" className="row-check" aria-label={`Select ${row.id}`} checked={checked}
            onChange={() => onToggle(row.id)} />
        </td>
      )}
      {row.getAllCells().map((cell) => (
        <td key={cell.id} className={TD_CLASS}>
          <FlexRender cell={cell} />
        </td>
      ))}
      {actions && <td className={TD_CLASS}>{actions(row.original)}</td>}
    </tr>
  );
});
