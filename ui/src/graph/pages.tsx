import { lazy, Suspense, type ReactNode } from 'react';
import { Loader } from '@mantine/core';
import type { PageDef } from '../routes/page';

// The canvas (React Flow) loads with the first graph page, and ELK with the first layout: neither is in the first
// page's JavaScript.
const GraphExplorer = lazy(() => import('./GraphExplorer').then((m) => ({ default: m.GraphExplorer })));
const WorkflowEditor = lazy(() => import('./WorkflowEditor').then((m) => ({ default: m.WorkflowEditor })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loader aria-label="Loading" />}>{children}</Suspense>;
}

export const graphPages: PageDef[] = [
  { path: '/graph/$type/$id', component: () => <Lazy><GraphExplorer /></Lazy> },
  { path: '/graph', component: () => <Lazy><GraphExplorer /></Lazy>, nav: { label: 'Graph', group: 'Build', order: 90 } },
  { path: '/workflow/$id/editor', component: () => <Lazy><WorkflowEditor /></Lazy> },
];
