import { Button, Group, Stack } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useSession } from '../../auth/session';
import { SubList } from '../../components/SubList';
import { ENTITIES } from '../../lib/entities';
import type { AnyEntity } from '../../api/types';
import type { EntityView } from '../EntityViewPage';

function Workflows({ datastore }: { datastore: AnyEntity }) {
  const { can } = useSession();
  return (
    <Stack gap="xs">
      {can.edit && <Group><Button size="xs" component={Link} to="/workflows/new" search={{ datastore_id: datastore.id } as never}>New workflow</Button></Group>}
      <SubList def={ENTITIES.workflow} caption="Workflows" filters={[`datastore_id = ${datastore.id}`]} columns={ENTITIES.workflow.columns.filter((c) => c.key !== 'datastore_id')} />
    </Stack>
  );
}

export const datastoreView: EntityView = {
  tabs: [
    { value: 'workflows', label: 'Workflows', render: (d) => <Workflows datastore={d} /> },
    { value: 'actions', label: 'Actions', render: (d) => <SubList def={ENTITIES.action} caption="Actions" filters={[`datastore_id = ${d.id}`]} /> },
  ],
};
