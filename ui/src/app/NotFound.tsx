import { Alert, Anchor } from '@mantine/core';
import { Link } from '@tanstack/react-router';

export function NotFound() {
  return (
    <Alert color="yellow" title="No such page">
      This address is not a page of dart. <Anchor component={Link} to="/">Go to the dashboard</Anchor>.
    </Alert>
  );
}
