import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { Shell } from '../app/Shell';
import { NotFound } from '../app/NotFound';
import { corePages } from '../pages';
import type { PageDef } from './page';
import { graphPages } from '../graph/pages';

/** Every page of the UI. A feature adds its pages with one line here (the graph pages replace the placeholders). */
export const pages: PageDef[] = [
  ...corePages,
  ...graphPages,
];

export function buildRouter() {
  const root = createRootRoute({ component: Shell, notFoundComponent: NotFound });
  const children = pages.map((p) => createRoute({ getParentRoute: () => root, path: p.path, component: p.component }));
  return createRouter({ routeTree: root.addChildren(children), defaultPreload: false, scrollRestoration: true });
}
