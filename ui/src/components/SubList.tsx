import { useState } from 'react';
import { Stack } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listEntities } from '../api/operations';
import type { AnyEntity } from '../api/types';
import { itemHref, type Column, type EntityDef } from '../lib/entities';
import { listQuery, type ListState } from '../lib/paging';
import { DataTable } from './DataTable';
import { Pager } from './Pager';
import { RowMenu } from './RowMenu';

interface Props {
  def: EntityDef;
  /** The list route, e.g. `/workflow/{id}/instance`; the entity's own by default. */
  path?: string;
  filters?: string[];
  columns?: Column[];
  sort?: ListState['sort'];
  caption: string;
  /** Refresh every this many ms while the predicate holds for the page shown (live lists of running things). */
  liveWhile?: (rows: AnyEntity[]) => number | false;
  /** Rows that are not entities of `def` (a subscription's elements) get no row menu. */
  menu?: boolean;
}

/** A list inside another entity's page: its paging and sorting are local, its filters fixed. */
export function SubList({ def, path, filters = [], columns, sort = { key: 'created', desc: true }, caption, liveWhile, menu = true }: Props) {
  const [state, setState] = useState<ListState>({ page: 1, size: 20, sort, filters });
  const listPath = path ?? def.apiPath;
  const query = useQuery({
    queryKey: ['list', listPath, state],
    queryFn: () => listEntities(listPath, listQuery(state)),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (liveWhile && q.state.data ? liveWhile(q.state.data.results) : false),
  });
  return (
    <Stack gap="xs">
      <DataTable caption={caption} columns={columns ?? def.columns} rows={query.data?.results ?? EMPTY} sort={state.sort}
        onSort={(s) => setState((x) => ({ ...x, sort: s ?? sort, page: 1 }))} stale={query.isPlaceholderData}
        rowActions={menu ? (row) => <RowMenu def={def} row={row} onError={() => query.refetch()} /> : undefined}
        rowHref={menu ? (row) => itemHref(def.type, row.id) : undefined}
        empty={query.isLoading ? 'Loading...' : 'None.'} />
      {(query.data?.total ?? 0) > state.size && (
        <Pager page={state.page} size={state.size} total={query.data?.total} onPage={(page) => setState((x) => ({ ...x, page }))} onSize={(size) => setState((x) => ({ ...x, size, page: 1 }))} />
      )}
    </Stack>
  );
}

const EMPTY: never[] = [];
