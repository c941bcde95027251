import { useNavigate, useSearch } from '@tanstack/react-router';
import { readListState, writeListState, type ListState, type Sort } from '../lib/paging';

/** A list's paging, sorting and filters, kept in the URL (so a link or a reload shows the same rows). */
export function useListState(defaultSort: Sort | null = { key: 'created', desc: true }) {
  const search = useSearch({ strict: false }) as Record<string, unknown>;
  const navigate = useNavigate();
  const state = readListState(search, defaultSort);
  function update(change: Partial<ListState>) {
    const next = { ...state, ...change };
    // a new filter, sort or size starts again at the first page
    if (change.filters || change.sort !== undefined || change.size) next.page = change.page ?? 1;
    const others = Object.fromEntries(Object.entries(search).filter(([k]) => !['page', 'size', 'sort', 'f'].includes(k)));
    const written = writeListState(next);
    navigate({ to: '.', search: { ...others, ...written }, replace: true });
  }
  return { state, update, search };
}
