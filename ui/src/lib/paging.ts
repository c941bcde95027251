// Everything about paging a list route lives here, so that moving from offset paging to a keyset cursor (`after=`)
// changes this module alone.

export interface Sort {
  key: string;
  desc: boolean;
}

export interface ListState {
  page: number;
  size: number;
  sort: Sort | null;
  filters: string[];
}

export const PAGE_SIZES = [20, 50, 100, 500];
export const DEFAULT_SIZE = 20;

/** The list state a URL's search parameters hold (`page`, `size`, `sort` as "key" or "-key", `f` as filter strings). */
export function readListState(search: Record<string, unknown>, defaultSort: Sort | null = { key: 'created', desc: true }): ListState {
  const page = Math.max(1, Math.floor(Number(search.page) || 1));
  const sizeRaw = Math.floor(Number(search.size) || DEFAULT_SIZE);
  const size = Math.min(10000, Math.max(1, sizeRaw));
  const sortText = typeof search.sort === 'string' ? search.sort : '';
  const sort = sortText ? { key: sortText.replace(/^-/, ''), desc: sortText.startsWith('-') } : defaultSort;
  const f = search.f;
  const filters = Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : typeof f === 'string' && f ? [f] : [];
  return { page, size, sort, filters };
}

/** The search parameters for a list state, without the ones at their defaults (short, shareable URLs). */
export function writeListState(state: ListState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (state.page > 1) out.page = state.page;
  if (state.size !== DEFAULT_SIZE) out.size = state.size;
  if (state.sort) out.sort = (state.sort.desc ? '-' : '') + state.sort.key;
  if (state.filters.length) out.f = state.filters;
  return out;
}

/** The query parameters of a list route for a list state. */
export function listQuery(state: ListState): Record<string, string | number> {
  const q: Record<string, string | number> = { limit: state.size, offset: (state.page - 1) * state.size };
  if (state.filters.length) q.filters = JSON.stringify(state.filters);
  if (state.sort) q.order_by = JSON.stringify([`${state.sort.key} ${state.sort.desc ? 'DESC' : 'ASC'}`]);
  return q;
}

export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

/** The next sort after a click on a column's header: ascending, then descending, then the default. */
export function nextSort(current: Sort | null, key: string): Sort | null {
  if (!current || current.key !== key) return { key, desc: false };
  if (!current.desc) return { key, desc: true };
  return null;
}
