import { useState } from 'react';
import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getEntity, listEntities } from '../api/operations';
import { ENTITIES, type EntityTypeName } from '../lib/entities';

interface Props {
  type: EntityTypeName;
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  required?: boolean;
  disabled?: boolean;
  description?: string;
}

/** Picks one entity by name, searching the server as one types (never the whole table). */
export function EntityPicker({ type, label, value, onChange, required, disabled, description }: Props) {
  const [search, setSearch] = useState('');
  const def = ENTITIES[type];
  const nameKey = type === 'api_key' ? 'user_id' : 'name';
  const options = useQuery({
    queryKey: ['picker', type, search],
    queryFn: () => listEntities(def.apiPath, {
      limit: 20,
      order_by: JSON.stringify([`${nameKey} ASC`]),
      ...(search ? { filters: JSON.stringify([`${nameKey} ~ ${search}`]) } : {}),
    }),
  });
  const current = useQuery({ queryKey: ['entity', type, value], queryFn: () => getEntity(type, value!), enabled: !!value });
  const data = (options.data?.results ?? []).map((e) => ({ value: e.id, label: String(e.data[nameKey] ?? e.id) }));
  if (current.data && !data.some((d) => d.value === current.data.id)) {
    data.unshift({ value: current.data.id, label: String(current.data.data[nameKey] ?? current.data.id) });
  }
  return (
    <Select label={label} description={description} data={data} value={value} onChange={onChange} searchable required={required} disabled={disabled}
      onSearchChange={(s) => setSearch(data.some((d) => d.label === s) ? '' : s)} nothingFoundMessage={options.isFetching ? 'Searching...' : 'Nothing found'}
      clearable={!required} />
  );
}
