import { Accordion, Badge, Group, Stack, Text, Title } from '@mantine/core';
import type { AnyEntity } from '../../api/types';
import { SchemaTable } from '../../components/SchemaTable';
import type { JsonSchema } from '../../lib/forms';
import type { EntityView } from '../EntityViewPage';

interface ActionType { name: string; description?: string; params_json_schema?: JsonSchema }

export function launchMode(engine: AnyEntity): string {
  const launcher = engine.data.launcher as { type?: string } | null | undefined;
  if (launcher?.type) return `launched (${launcher.type})`;
  return engine.data.ecs_task_definition_arn ? 'launched (ecs)' : 'pull';
}

function ActionTypes({ engine }: { engine: AnyEntity }) {
  const types = (engine.data.supported_action_types as ActionType[] | undefined) ?? [];
  return (
    <Stack>
      <Group gap="xs"><Text size="sm">Runs as:</Text><Badge variant="light">{launchMode(engine)}</Badge></Group>
      {types.length === 0 ? <Text c="dimmed" size="sm">This engine declares no action types.</Text> : (
        <Accordion multiple defaultValue={types.slice(0, 1).map((t) => t.name)} variant="separated">
          {types.map((t) => (
            <Accordion.Item key={t.name} value={t.name}>
              <Accordion.Control><Text fw={600}>{t.name}</Text><Text size="sm" c="dimmed">{t.description}</Text></Accordion.Control>
              <Accordion.Panel><SchemaTable schema={t.params_json_schema} label={`Parameters of ${t.name}`} /></Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Stack>
  );
}

export const engineView: EntityView = {
  tabs: [
    { value: 'types', label: 'Action types', render: (e) => <ActionTypes engine={e} /> },
    {
      value: 'options', label: 'Datastore options', render: (e) => (
        <Stack><Title order={5}>Options a datastore of this engine takes (its args)</Title><SchemaTable schema={e.data.options_json_schema as JsonSchema} label="Datastore options" /></Stack>
      ),
    },
  ],
};
