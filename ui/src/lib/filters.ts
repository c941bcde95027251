// dart's filter language: a JSON array of "key op value" strings, ANDed (README, "The API"). The tables build
// filters from their columns and keep them in the URL as those same strings, so a link shows the same rows.

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'LIKE' | 'NOT_LIKE' | '~';

export interface Filter {
  key: string;
  op: FilterOp;
  value: string;
}

/** How a column is filtered from its one input. */
export type FilterKind = 'text' | 'exact' | 'enum' | 'since';

export interface FilterableColumn {
  key: string;
  filter?: FilterKind;
}

// Longest first, so '<=' is not read as '<' followed by '= ...'.
const OPS: FilterOp[] = ['NOT_LIKE', 'LIKE', 'IN', '!=', '<=', '>=', '=', '<', '>', '~'];

export function toWire(f: Filter): string {
  return `${f.key} ${f.op} ${f.value}`;
}

/** Parses one "key op value" string; null when it is not one (the server would refuse it too). */
export function fromWire(text: string): Filter | null {
  const t = text.trim();
  const space = t.indexOf(' ');
  if (space <= 0) return null;
  const key = t.slice(0, space);
  const rest = t.slice(space + 1);
  for (const op of OPS) {
    if (rest === op || rest.startsWith(op + ' ')) {
      return { key, op, value: rest.slice(op.length + 1) };
    }
  }
  return null;
}

/**
 * The filter a column's input stands for: text columns match a part of the value (case-insensitive), exact ones
 * the whole value, enum columns one of the chosen values, time columns everything since the given instant.
 */
export function columnFilter(column: FilterableColumn, input: string | string[]): Filter | null {
  const values = (Array.isArray(input) ? input : [input]).map((v) => v.trim()).filter((v) => v !== '');
  if (!values.length || !column.filter) return null;
  switch (column.filter) {
    case 'text':
      return { key: column.key, op: '~', value: values[0] };
    case 'exact':
      return { key: column.key, op: '=', value: values[0] };
    case 'enum':
      return values.length === 1 ? { key: column.key, op: '=', value: values[0] } : { key: column.key, op: 'IN', value: values.join(',') };
    case 'since':
      return { key: column.key, op: '>=', value: values[0] };
  }
}

/** What a column's input shows for the filters in force (the inverse of columnFilter). */
export function columnInput(column: FilterableColumn, filters: Filter[]): string[] {
  const f = filters.find((x) => x.key === column.key && x.op === expectedOp(column, x));
  if (!f) return [];
  return f.op === 'IN' ? f.value.split(',') : [f.value];
}

function expectedOp(column: FilterableColumn, f: Filter): FilterOp | null {
  switch (column.filter) {
    case 'text':
      return '~';
    case 'exact':
      return '=';
    case 'enum':
      return f.op === 'IN' ? 'IN' : '=';
    case 'since':
      return '>=';
    default:
      return null;
  }
}

/** The filters after one column's input changed: its old filter replaced, the others (and free-typed ones) kept. */
export function withColumnInput(filters: string[], column: FilterableColumn, input: string | string[]): string[] {
  const parsed = filters.map((w) => ({ wire: w, f: fromWire(w) }));
  const kept = parsed.filter(({ f }) => !(f && f.key === column.key && f.op === expectedOp(column, f))).map(({ wire }) => wire);
  const next = columnFilter(column, input);
  return next ? [...kept, toWire(next)] : kept;
}
