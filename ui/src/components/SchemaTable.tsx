import { Badge, Code, Table, Text } from '@mantine/core';
import type { JsonSchema } from '../lib/forms';

/** A JSON Schema's properties as a readable table: name, type, required, default, secret, description; nested too. */
export function SchemaTable({ schema, label }: { schema: JsonSchema | null | undefined; label: string }) {
  const rows = flatten(schema ?? {}, '');
  if (!rows.length) return <Text size="sm" c="dimmed">No parameters.</Text>;
  return (
    <Table verticalSpacing={4} aria-label={label} striped>
      <Table.Thead>
        <Table.Tr><Table.Th>Parameter</Table.Th><Table.Th>Type</Table.Th><Table.Th>Default</Table.Th><Table.Th>Description</Table.Th></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.path}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <Code>{r.path}</Code>{r.required && <Text span c="red" title="required" aria-label="required"> *</Text>}
              {r.secret && <Badge ml={4} size="xs" color="grape" variant="light">secret</Badge>}
            </Table.Td>
            <Table.Td><Text size="sm">{r.type}</Text></Table.Td>
            <Table.Td><Text size="sm">{r.default === undefined ? '' : JSON.stringify(r.default)}</Text></Table.Td>
            <Table.Td><Text size="sm">{r.description}</Text></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

interface Row { path: string; type: string; required: boolean; secret: boolean; default: unknown; description: string }

export function flatten(schema: JsonSchema, prefix: string): Row[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, p]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    const type = Array.isArray(p.type) ? p.type.join(' | ') : p.type ?? (p.enum ? 'enum' : 'any');
    const row: Row = {
      path,
      type: p.enum ? `${type}: ${p.enum.map(String).join(', ')}` : type,
      required: required.has(name),
      secret: !!p['x-dart-secret'],
      default: p.default,
      description: String(p.description ?? p.title ?? ''),
    };
    return [row, ...(p.properties ? flatten(p, path) : [])];
  });
}
