import type { PageDef } from '../routes/page';
import { ENTITY_LIST } from '../lib/entities';
import { Dashboard } from './Dashboard';
import { EntityListPage } from './EntityListPage';

const tablePages: PageDef[] = ENTITY_LIST.map((def) => ({
  path: def.listRoute,
  component: () => <EntityListPage def={def} />,
  nav: { label: def.plural, ...def.nav },
}));

export const corePages: PageDef[] = [
  { path: '/', component: Dashboard, nav: { label: 'Dashboard', group: 'Overview', order: 0 } },
  ...tablePages,
];
