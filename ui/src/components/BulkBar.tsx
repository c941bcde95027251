import { useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { cancelRun, deleteEntity, forEachId, resumeRun, setState } from '../api/operations';
import { useSession } from '../auth/session';
import type { EntityDef } from '../lib/entities';
import { Confirm } from './Confirm';

interface Props {
  def: EntityDef;
  selected: Set<string>;
  onDone: (failures: { id: string; message: string }[]) => void;
}

/** What can be done to the selected rows at once: delete; cancel or resume runs; activate or deactivate. */
export function BulkBar({ def, selected, onDone }: Props) {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const ids = [...selected];
  if (!ids.length) return null;

  async function run(call: (id: string) => Promise<unknown>) {
    setBusy(true);
    try {
      onDone(await forEachId(ids, call));
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries();
    }
  }

  const mayDelete = def.type === 'api_key' || def.type === 'engine' ? can.manageKeys : can.edit;
  return (
    <Group gap="xs" p="xs" bg="var(--mantine-color-blue-light)" style={{ borderRadius: 4 }} role="toolbar" aria-label="Bulk actions">
      <Text size="sm" fw={600}>{ids.length} selected</Text>
      {can.run && def.type === 'workflow_instance' && (
        <>
          <Button size="xs" variant="default" loading={busy} onClick={() => run(cancelRun)}>Cancel runs</Button>
          <Button size="xs" variant="default" loading={busy} onClick={() => run(resumeRun)}>Resume runs</Button>
        </>
      )}
      {can.edit && def.activation && (
        <>
          <Button size="xs" variant="default" loading={busy} onClick={() => run((id) => setState(def.type, id, def.activation!.on))}>Activate</Button>
          <Button size="xs" variant="default" loading={busy} onClick={() => run((id) => setState(def.type, id, def.activation!.off))}>Deactivate</Button>
        </>
      )}
      {mayDelete && <Button size="xs" color="red" variant="light" loading={busy} onClick={() => setConfirmDelete(true)}>Delete</Button>}
      <Confirm opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={`Delete ${ids.length} ${def.plural.toLowerCase()}`} danger
        message={`Delete the ${ids.length} selected ${def.plural.toLowerCase()}? This cannot be undone.`} confirmLabel="Delete"
        onConfirm={() => run((id) => deleteEntity(def.type, id))} />
    </Group>
  );
}
