import { useState } from 'react';
import { ActionIcon, Menu } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { AnyEntity } from '../api/types';
import { cancelRun, deleteEntity, resumeRun, runWorkflow } from '../api/operations';
import { useSession } from '../auth/session';
import { itemHref, type EntityDef } from '../lib/entities';
import { Confirm } from './Confirm';

/** A row's actions: view, edit, duplicate, delete, run, graph; only those the caller's role may do. */
export function RowMenu({ def, row, onError }: { def: EntityDef; row: AnyEntity; onError: (message: string) => void }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirmDelete, setConfirmDelete] = useState(false);
  // the menu mounts on the first click: a page of rows then pays for one button per row, not one menu each
  const [opened, setOpened] = useState(false);
  const label = String(row.data.name ?? row.data.user_id ?? row.id);

  async function act(call: () => Promise<unknown>) {
    try {
      await call();
    } catch (e) {
      onError((e as Error).message);
    }
    await queryClient.invalidateQueries();
  }

  const state = String(row.data.state ?? '');
  return (
    <>
      {/* a plain button until then, styled as the menu's ActionIcon: a hundred Mantine components cost a page more */}
      {!opened && <button type="button" className="row-menu-button" aria-label={`Actions for ${label}`} aria-haspopup="menu" onClick={() => setOpened(true)}>⋯</button>}
      {opened && <Menu position="bottom-end" withinPortal defaultOpened onClose={() => setOpened(false)}>
        <Menu.Target>
          <ActionIcon variant="subtle" aria-label={`Actions for ${label}`} data-autofocus>⋯</ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => navigate({ to: itemHref(def.type, row.id) })}>View</Menu.Item>
          {can.edit && def.editable && <Menu.Item onClick={() => navigate({ to: `${itemHref(def.type, row.id)}/edit` })}>Edit</Menu.Item>}
          {can.edit && def.create === 'root' && def.type !== 'api_key' && (
            <Menu.Item onClick={() => navigate({ to: `${def.listRoute}/new`, search: { from: row.id } })}>Duplicate</Menu.Item>
          )}
          {can.run && def.type === 'workflow' && <Menu.Item onClick={() => act(() => runWorkflow(row.id))}>Run now</Menu.Item>}
          {can.run && def.type === 'workflow_instance' && (state === 'QUEUED' || state === 'RUNNING') && (
            <Menu.Item onClick={() => act(() => cancelRun(row.id))}>Cancel run</Menu.Item>
          )}
          {can.run && def.type === 'workflow_instance' && state === 'FAILED' && <Menu.Item onClick={() => act(() => resumeRun(row.id))}>Resume run</Menu.Item>}
          {def.graphType && <Menu.Item onClick={() => navigate({ to: `/graph/${def.graphType}/${encodeURIComponent(row.id)}` })}>Graph</Menu.Item>}
          {(def.type === 'api_key' || def.type === 'engine' ? can.manageKeys : can.edit) && (
            <Menu.Item color="red" onClick={() => setConfirmDelete(true)}>Delete</Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>}
      {confirmDelete && <Confirm opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={`Delete ${def.label.toLowerCase()}`} danger
        message={`Delete ${label}? This cannot be undone.`} confirmLabel="Delete" onConfirm={() => act(() => deleteEntity(def.type, row.id))} />}
    </>
  );
}
