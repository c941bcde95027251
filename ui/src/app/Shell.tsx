import { AppShell, Burger, Center, Group, Loader, NavLink, ScrollArea, Text, Button, Badge, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useSession } from '../auth/session';
import { SignIn } from '../pages/SignIn';
import { pages } from '../routes/registry';

const GROUPS = ['Overview', 'Build', 'Run', 'Data', 'Admin'] as const;

export function Shell() {
  const { who, loading, can, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const pathname = useRouterState({ select: (s) => s.location.pathname });

  if (loading) return <Center mih="100vh"><Loader aria-label="Loading" /></Center>;
  if (!who) return <SignIn />;

  const nav = pages.filter((p) => p.nav && (!p.nav.adminOnly || can.manageKeys));
  // the most specific navigation entry for this address is the active one (/datasets/guess is not /datasets)
  const active = nav.filter((p) => (p.path === '/' ? pathname === '/' : pathname === p.path || pathname.startsWith(p.path + '/')))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 210, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={3}>dart</Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" truncate maw={240}>{who.user_id}</Text>
            <Badge variant="light" data-testid="role">{who.role}</Badge>
            <Button variant="subtle" size="xs" onClick={signOut}>Sign out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          {GROUPS.map((g) => {
            const items = nav.filter((p) => p.nav!.group === g).sort((a, b) => a.nav!.order - b.nav!.order);
            if (!items.length) return null;
            return (
              <div key={g}>
                <Text size="xs" c="dimmed" fw={700} mt="sm" mb={4} px="xs" tt="uppercase">{g}</Text>
                {items.map((p) => (
                  <NavLink key={p.path} component={Link} to={p.path} label={p.nav!.label} onClick={close}
                    active={p.path === active} />
                ))}
              </div>
            );
          })}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
