import { Button, Group, Stack } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import type { AnyEntity } from '../../api/types';
import { useSession } from '../../auth/session';
import { SubList } from '../../components/SubList';
import { ENTITIES } from '../../lib/entities';
import { downloadJson } from '../../lib/download';
import type { EntityView } from '../EntityViewPage';

function ExportButton({ dataset }: { dataset: AnyEntity }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button variant="default" loading={busy} onClick={async () => {
      setBusy(true);
      try {
        const pkg = await api.get<{ results: unknown }>(`/dataset/${encodeURIComponent(dataset.id)}/frictionless`);
        downloadJson(pkg.results, `${String(dataset.data.name)}.datapackage.json`);
      } finally {
        setBusy(false);
      }
    }}>Export (Frictionless)</Button>
  );
}

function Subscriptions({ dataset }: { dataset: AnyEntity }) {
  const { can } = useSession();
  return (
    <Stack gap="xs">
      {can.edit && <Group><Button size="xs" component={Link} to="/subscriptions/new" search={{ dataset_id: dataset.id } as never}>New subscription</Button></Group>}
      <SubList def={ENTITIES.subscription} caption="Subscriptions" filters={[`dataset_id = ${dataset.id}`]} columns={ENTITIES.subscription.columns.filter((c) => c.key !== 'dataset_id')} />
    </Stack>
  );
}

export const datasetView: EntityView = {
  buttons: (d) => <ExportButton dataset={d} />,
  tabs: [{ value: 'subscriptions', label: 'Subscriptions', render: (d) => <Subscriptions dataset={d} /> }],
};
