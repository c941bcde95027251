import { Title } from '@mantine/core';

export function Dashboard() {
  return <Title order={2}>Dashboard</Title>;
}
