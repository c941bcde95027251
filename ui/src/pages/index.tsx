import { lazy, Suspense, type ReactNode } from 'react';
import { Loader } from '@mantine/core';
import type { PageDef } from '../routes/page';
import { ENTITY_LIST } from '../lib/entities';
import { Dashboard } from './Dashboard';
import { EntityListPage } from './EntityListPage';
import { EntityViewPage } from './EntityViewPage';
import { RunPage } from './RunPage';

// Forms (rjsf and its JSON Schema validator) load when a form opens, not with the first page.
const EntityFormPage = lazy(() => import('./EntityFormPage').then((m) => ({ default: m.EntityFormPage })));
const DatasetGuessPage = lazy(() => import('./DatasetTools').then((m) => ({ default: m.DatasetGuessPage })));
const FrictionlessImportPage = lazy(() => import('./DatasetTools').then((m) => ({ default: m.FrictionlessImportPage })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loader aria-label="Loading" />}>{children}</Suspense>;
}

const entityPages: PageDef[] = ENTITY_LIST.flatMap((def) => [
  { path: def.listRoute, component: () => <EntityListPage def={def} />, nav: { label: def.plural, ...def.nav } },
  ...(def.create !== 'none' ? [{ path: `${def.listRoute}/new`, component: () => <Lazy><EntityFormPage def={def} mode="create" /></Lazy> }] : []),
  ...(def.editable ? [{ path: `${def.itemRoute}/$id/edit`, component: () => <Lazy><EntityFormPage def={def} mode="edit" /></Lazy> }] : []),
  { path: `${def.itemRoute}/$id`, component: def.type === 'workflow_instance' ? RunPage : () => <EntityViewPage def={def} /> },
]);

export const corePages: PageDef[] = [
  { path: '/', component: Dashboard, nav: { label: 'Dashboard', group: 'Overview', order: 0 } },
  ...entityPages,
  { path: '/datasets/guess', component: () => <Lazy><DatasetGuessPage /></Lazy>, nav: { label: 'Guess a dataset', group: 'Data', order: 11 } },
  { path: '/datasets/import', component: () => <Lazy><FrictionlessImportPage /></Lazy>, nav: { label: 'Import (Frictionless)', group: 'Data', order: 12 } },
];

