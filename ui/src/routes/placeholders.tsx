import { Alert } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import type { PageDef } from './page';

// The graph explorer and the workflow editor live under src/graph/; until they are there, their routes answer this
// page, so links to them (from tables and pages) already work.
function Placeholder() {
  const params = useParams({ strict: false }) as Record<string, string>;
  return <Alert title="Not built yet">The graph view ({Object.values(params).join(' ')}) comes with the graph explorer.</Alert>;
}

export const placeholderPages: PageDef[] = [
  { path: '/graph/$type/$id', component: Placeholder },
  { path: '/graph', component: Placeholder, nav: { label: 'Graph', group: 'Build', order: 90 } },
  { path: '/workflow/$id/editor', component: Placeholder },
];
