import { useEffect, useState } from 'react';
import { ActionIcon, Badge, Group, MultiSelect, Stack, TextInput, CloseButton } from '@mantine/core';
import type { Column } from '../lib/entities';
import { columnInput, fromWire, withColumnInput } from '../lib/filters';

interface Props {
  columns: Column[];
  filters: string[];
  onChange: (filters: string[]) => void;
}

/** One input per filterable column, a free filter expression, and the filters in force as removable chips. */
export function FilterBar({ columns, filters, onChange }: Props) {
  const parsed = filters.map(fromWire).filter((f) => f !== null);
  const filterable = columns.filter((c) => c.filter);
  return (
    <Stack gap="xs">
      <Group gap="xs" align="flex-end" wrap="wrap">
        {filterable.map((c) =>
          c.filter === 'enum' ? (
            <MultiSelect key={c.key} label={c.label} searchable data={c.options ?? []} value={columnInput(c, parsed)} size="xs" w={200} clearable
              onChange={(v) => onChange(withColumnInput(filters, c, v))} />
          ) : (
            <TextFilter key={c.key} column={c} value={columnInput(c, parsed)[0] ?? ''} onCommit={(v) => onChange(withColumnInput(filters, c, v))} />
          ),
        )}
        <ExpressionInput onAdd={(f) => onChange([...filters, f])} />
      </Group>
      {filters.length > 0 && (
        <Group gap={6} aria-label="Filters in force">
          {filters.map((f, i) => (
            <Badge key={f + i} variant="light" tt="none" size="lg" radius="sm" pr={2}
              rightSection={<CloseButton size="xs" aria-label={`Remove filter ${f}`} onClick={() => onChange(filters.filter((_, j) => j !== i))} />}>
              {f}
            </Badge>
          ))}
          <ActionIcon variant="subtle" size="sm" w="auto" px={6} onClick={() => onChange([])} aria-label="Clear all filters">Clear</ActionIcon>
        </Group>
      )}
    </Stack>
  );
}

function TextFilter({ column, value, onCommit }: { column: Column; value: string; onCommit: (v: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const placeholder = column.filter === 'since' ? 'since, e.g. 2026-12-01T00:00:00Z' : column.filter === 'text' ? 'contains' : 'equals';
  return (
    <TextInput label={column.label} size="xs" w={column.filter === 'since' ? 220 : 170} value={text} placeholder={placeholder}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={() => text !== value && onCommit(text)}
      onKeyDown={(e) => e.key === 'Enter' && onCommit(text)} />
  );
}

function ExpressionInput({ onAdd }: { onAdd: (filter: string) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  function add() {
    if (!text.trim()) return;
    if (!fromWire(text)) {
      setError('key op value, e.g. args.bucket = my-bucket');
      return;
    }
    onAdd(text.trim());
    setText('');
    setError(null);
  }
  return (
    <TextInput label="Filter expression" size="xs" w={240} value={text} error={error} placeholder="e.g. tags = nightly"
      onChange={(e) => setText(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && add()} />
  );
}
