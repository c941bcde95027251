import { useState, type ReactNode } from 'react';
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { deleteEntity } from '../api/operations';
import type { AnyEntity } from '../api/types';
import { useSession } from '../auth/session';
import { itemHref, type EntityDef } from '../lib/entities';
import { StateBadge } from './Cells';
import { Confirm } from './Confirm';

/** An entity page's title, state and the actions the role allows. */
export function EntityHeader({ def, entity, children }: { def: EntityDef; entity: AnyEntity; children?: ReactNode }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = String(entity.data.name ?? entity.data.user_id ?? entity.id);
  const mayDelete = def.type === 'api_key' || def.type === 'engine' ? can.manageKeys : can.edit;
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>{def.label}</Text>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="sm" wrap="nowrap">
          <Title order={2} style={{ wordBreak: 'break-all' }}>{name}</Title>
          <StateBadge state={entity.data.state as string | undefined} />
        </Group>
        <Group gap="xs">
          {children}
          {can.edit && def.editable && <Button variant="default" size="sm" component={Link} to={`${itemHref(def.type, entity.id)}/edit`}>Edit</Button>}
          {can.edit && def.create === 'root' && def.type !== 'api_key' && (
            <Button variant="default" size="sm" component={Link} to={`${def.listRoute}/new`} search={{ from: entity.id } as never}>Duplicate</Button>
          )}
          {def.graphType && <Button variant="default" size="sm" component={Link} to={`/graph/${def.graphType}/${encodeURIComponent(entity.id)}`}>Graph</Button>}
          {mayDelete && <Button variant="light" color="red" size="sm" onClick={() => setConfirm(true)}>Delete</Button>}
        </Group>
      </Group>
      {error && <Text c="red" size="sm" role="alert">{error}</Text>}
      <Confirm opened={confirm} onClose={() => setConfirm(false)} title={`Delete ${def.label.toLowerCase()}`} danger confirmLabel="Delete"
        message={`Delete ${name}? This cannot be undone.`}
        onConfirm={async () => {
          try {
            await deleteEntity(def.type, entity.id);
            await queryClient.invalidateQueries();
            navigate({ to: def.listRoute });
          } catch (e) {
            setError((e as Error).message);
          }
        }} />
    </Stack>
  );
}
