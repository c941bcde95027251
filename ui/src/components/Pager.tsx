import { Group, Pagination, Select, Text } from '@mantine/core';
import { PAGE_SIZES, pageCount } from '../lib/paging';

interface Props {
  page: number;
  size: number;
  total: number | undefined;
  onPage: (page: number) => void;
  onSize: (size: number) => void;
}

export function Pager({ page, size, total, onPage, onSize }: Props) {
  const pages = pageCount(total ?? 0, size);
  const first = total ? (page - 1) * size + 1 : 0;
  const last = Math.min(page * size, total ?? 0);
  return (
    <Group justify="space-between" wrap="wrap" gap="xs">
      <Text size="sm" c="dimmed" aria-live="polite">{total === undefined ? '' : `${first}-${last} of ${total}`}</Text>
      <Group gap="xs" wrap="wrap">
        <Select aria-label="Rows per page" size="xs" w={90} data={PAGE_SIZES.map(String)} value={String(size)} onChange={(v) => v && onSize(Number(v))} allowDeselect={false} />
        <Pagination total={pages} value={Math.min(page, pages)} onChange={onPage} size="sm" siblings={1} boundaries={1}
          getControlProps={(control) => ({ 'aria-label': `${control} page` })} />
      </Group>
    </Group>
  );
}
