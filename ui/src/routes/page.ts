import type { RouteComponent } from '@tanstack/react-router';

/**
 * One page of the UI. `path` uses the router's syntax (`/workflow/$id`); `nav` puts it in the side navigation,
 * ordered by `order` within its `group`.
 */
export interface PageDef {
  path: string;
  component: RouteComponent;
  nav?: { label: string; group: 'Overview' | 'Build' | 'Run' | 'Data' | 'Admin'; order: number; adminOnly?: boolean };
}
