import type { ReactNode } from 'react';
import { Alert, Code, Loader, Stack, Tabs } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { getEntity } from '../api/operations';
import type { AnyEntity } from '../api/types';
import { Details } from '../components/Details';
import { EntityHeader } from '../components/EntityHeader';
import type { EntityDef, EntityTypeName } from '../lib/entities';
import { actionView } from './views/ActionView';
import { datasetView } from './views/DatasetView';
import { datastoreView } from './views/DatastoreView';
import { engineView } from './views/EngineView';
import { subscriptionView } from './views/SubscriptionView';
import { triggerView } from './views/TriggerView';
import { workflowView } from './views/WorkflowView';

/** What an entity type adds to its page: buttons next to the title, tabs before Details and JSON. */
export interface EntityView {
  buttons?: (entity: AnyEntity) => ReactNode;
  tabs?: { value: string; label: string; render: (entity: AnyEntity) => ReactNode }[];
  /** Refresh the entity every this many ms while it moves. */
  refresh?: (entity: AnyEntity) => number | false;
}

const VIEWS: Partial<Record<EntityTypeName, EntityView>> = {
  workflow: workflowView,
  datastore: datastoreView,
  engine: engineView,
  action: actionView,
  dataset: datasetView,
  subscription: subscriptionView,
  trigger: triggerView,
};

export function EntityViewPage({ def }: { def: EntityDef }) {
  const { id } = useParams({ strict: false }) as { id: string };
  const search = useSearch({ strict: false }) as { tab?: string };
  const navigate = useNavigate();
  const view = VIEWS[def.type] ?? {};
  const query = useQuery({
    queryKey: ['entity', def.type, id],
    queryFn: () => getEntity(def.type, id),
    refetchInterval: (q) => (q.state.data && view.refresh ? view.refresh(q.state.data) : false),
  });
  if (query.isLoading) return <Loader aria-label="Loading" />;
  if (query.error) return <Alert color="red" role="alert">{query.error.message}</Alert>;
  const entity = query.data!;
  const tabs = view.tabs ?? [];
  const current = search.tab ?? tabs[0]?.value ?? 'details';
  return (
    <Stack>
      <EntityHeader def={def} entity={entity}>{view.buttons?.(entity)}</EntityHeader>
      <Tabs value={current} onChange={(tab) => navigate({ to: '.', search: { tab } as never, replace: true })} keepMounted={false}>
        <Tabs.List>
          {tabs.map((t) => <Tabs.Tab key={t.value} value={t.value}>{t.label}</Tabs.Tab>)}
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="json">JSON</Tabs.Tab>
        </Tabs.List>
        {tabs.map((t) => <Tabs.Panel key={t.value} value={t.value} pt="sm">{t.render(entity)}</Tabs.Panel>)}
        <Tabs.Panel value="details" pt="sm"><Details def={def} entity={entity} /></Tabs.Panel>
        <Tabs.Panel value="json" pt="sm"><Code block>{JSON.stringify(entity, null, 2)}</Code></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
