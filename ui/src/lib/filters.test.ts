import { describe, expect, it } from 'vitest';
import { columnFilter, columnInput, fromWire, toWire, withColumnInput } from './filters';
import { listQuery, nextSort, readListState, writeListState } from './paging';

describe('filter strings', () => {
  it('round-trip through the wire form', () => {
    for (const s of ['state = ACTIVE', 'name ~ nightly', 'state IN QUEUED,RUNNING', 'order_idx <= 3', 'name NOT_LIKE a%', 'args.path = a b c']) {
      expect(toWire(fromWire(s)!)).toBe(s);
    }
  });
  it('reads two-character operators whole', () => {
    expect(fromWire('order_idx <= 3')).toEqual({ key: 'order_idx', op: '<=', value: '3' });
    expect(fromWire('state != FAILED')).toEqual({ key: 'state', op: '!=', value: 'FAILED' });
  });
  it('refuses text that is not a filter', () => {
    expect(fromWire('state')).toBeNull();
    expect(fromWire('state is ACTIVE')).toBeNull();
  });
});

describe('column filters', () => {
  const state = { key: 'state', filter: 'enum' as const };
  const name = { key: 'name', filter: 'text' as const };
  it('build the operator the column kind stands for', () => {
    expect(columnFilter(name, 'night')).toEqual({ key: 'name', op: '~', value: 'night' });
    expect(columnFilter(state, ['FAILED'])).toEqual({ key: 'state', op: '=', value: 'FAILED' });
    expect(columnFilter(state, ['FAILED', 'CANCELLED'])).toEqual({ key: 'state', op: 'IN', value: 'FAILED,CANCELLED' });
    expect(columnFilter({ key: 'created', filter: 'since' }, '2026-12-01T00:00:00Z')).toEqual({ key: 'created', op: '>=', value: '2026-12-01T00:00:00Z' });
    expect(columnFilter(name, '  ')).toBeNull();
  });
  it('replace their own filter and keep the others', () => {
    let f = withColumnInput(['tags = nightly'], state, ['RUNNING']);
    expect(f).toEqual(['tags = nightly', 'state = RUNNING']);
    f = withColumnInput(f, state, ['RUNNING', 'QUEUED']);
    expect(f).toEqual(['tags = nightly', 'state IN RUNNING,QUEUED']);
    expect(columnInput(state, f.map((x) => fromWire(x)!))).toEqual(['RUNNING', 'QUEUED']);
    expect(withColumnInput(f, state, [])).toEqual(['tags = nightly']);
  });
  it('leave a free-typed filter on the same key alone', () => {
    expect(withColumnInput(['name = exact'], name, 'part')).toEqual(['name = exact', 'name ~ part']);
  });
});

describe('list state in the URL', () => {
  it('round-trips and drops defaults', () => {
    const s = readListState({ page: '3', size: '50', sort: '-updated', f: ['state = ACTIVE'] });
    expect(s).toEqual({ page: 3, size: 50, sort: { key: 'updated', desc: true }, filters: ['state = ACTIVE'] });
    expect(writeListState(s)).toEqual({ page: 3, size: 50, sort: '-updated', f: ['state = ACTIVE'] });
    expect(writeListState(readListState({}))).toEqual({ sort: '-created' });
  });
  it('turns into the API query', () => {
    expect(listQuery(readListState({ page: 2, f: ['state = ACTIVE'], sort: 'name' }))).toEqual({
      limit: 20, offset: 20, filters: '["state = ACTIVE"]', order_by: '["name ASC"]',
    });
  });
  it('cycles sorting ascending, descending, default', () => {
    expect(nextSort(null, 'name')).toEqual({ key: 'name', desc: false });
    expect(nextSort({ key: 'name', desc: false }, 'name')).toEqual({ key: 'name', desc: true });
    expect(nextSort({ key: 'name', desc: true }, 'name')).toBeNull();
  });
  it('bounds page and size', () => {
    expect(readListState({ page: '-4', size: '999999' })).toMatchObject({ page: 1, size: 10000 });
  });
});
