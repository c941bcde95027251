import { useState } from 'react';
import { Alert, Button, Group, Stack, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listEntities } from '../api/operations';
import { useSession } from '../auth/session';
import { BulkBar } from '../components/BulkBar';
import { DataTable } from '../components/DataTable';
import { FilterBar } from '../components/FilterBar';
import { Pager } from '../components/Pager';
import { RowMenu } from '../components/RowMenu';
import { useListState } from '../components/useListState';
import { itemHref, type EntityDef } from '../lib/entities';
import { listQuery } from '../lib/paging';

/** The table of one entity type: server-side paging, sorting and filters, row and bulk actions. */
export function EntityListPage({ def, apiPath, title }: { def: EntityDef; apiPath?: string; title?: string }) {
  const { can } = useSession();
  const { state, update } = useListState();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<string[]>([]);
  const path = apiPath ?? def.apiPath;
  const query = useQuery({
    queryKey: ['list', path, state],
    queryFn: () => listEntities(path, listQuery(state)),
    placeholderData: keepPreviousData,
  });
  const mayCreate = def.type === 'api_key' ? can.manageKeys : can.edit && def.create === 'root';

  return (
    <Stack gap="sm">
      {title !== '' && (
        <Group justify="space-between">
          <Title order={2}>{title ?? def.plural}</Title>
          {mayCreate && <Button component={Link} to={`${def.listRoute}/new`}>New {def.label.toLowerCase()}</Button>}
        </Group>
      )}
      <FilterBar columns={def.columns} filters={state.filters} onChange={(filters) => update({ filters })} />
      {query.error && <Alert color="red" role="alert" title="Could not load">{query.error.message}</Alert>}
      {errors.length > 0 && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setErrors([])} title="Some changes were refused">
          {errors.map((e) => <div key={e}>{e}</div>)}
        </Alert>
      )}
      <BulkBar def={def} selected={selected} onDone={(failures) => { setErrors(failures.map((f) => `${f.id}: ${f.message}`)); setSelected(new Set()); }} />
      <DataTable caption={def.plural} columns={def.columns} rows={query.data?.results ?? EMPTY} sort={state.sort} onSort={(sort) => update({ sort })}
        selected={selected} onSelect={setSelected} stale={query.isPlaceholderData || query.isLoading}
        rowActions={(row) => <RowMenu def={def} row={row} onError={(m) => setErrors([m])} />} rowHref={(row) => itemHref(def.type, row.id)}
        empty={query.isLoading ? 'Loading...' : state.filters.length ? 'No rows match these filters.' : `No ${def.plural.toLowerCase()} yet.`} />
      <Pager page={state.page} size={state.size} total={query.data?.total} onPage={(page) => update({ page })} onSize={(size) => update({ size })} />
    </Stack>
  );
}

const EMPTY: never[] = [];
