// The admin app's frame: a header with the workspace user, a sidebar with the sections, and the
// customer exports followed while the user moves around.
import { AppShell, Burger, Button, Group, NavLink, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { NavLink as RouterLink, Outlet, useLocation, useNavigate } from "react-router-dom";

import { ExportsProvider } from "../customers/exports";
import { useSession, useSignOut } from "../session";

export function AppLayout() {
  const [opened, { toggle }] = useDisclosure();
  const session = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const user = session.data?.user;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={4}>Clientele</Title>
          </Group>
          <Group gap="sm">
            <Text size="sm" visibleFrom="xs">
              {user?.name || user?.email} · {user?.role}
            </Text>
            <Button variant="default" size="xs" onClick={async () => { await signOut(); navigate("/login"); }}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <NavLink component={RouterLink} to="/app/customers" label="Customers"
          active={location.pathname.startsWith("/app/customers") || location.pathname.startsWith("/app/orders")} />
        {user?.permissions.includes("orders.read") && (
          <NavLink component={RouterLink} to="/app/carts" label="Abandoned carts"
            active={location.pathname.startsWith("/app/carts")} />
        )}
        {user?.is_platform_admin && (
          // Highlighted always (seed 001): the operator's own part of the app.
          <NavLink component={RouterLink} to="/app/clients" label="Client Management" color="orange" active
            variant={location.pathname.startsWith("/app/clients") ? "filled" : "light"} />
        )}
        {user?.permissions.includes("customers.read") && (
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>Settings</Text>
        )}
        {user?.permissions.includes("customers.read") && (
          <NavLink component={RouterLink} to="/app/settings/general" label="General"
            active={location.pathname.startsWith("/app/settings/general")} />
        )}
        {user?.permissions.includes("loyalty.read") && (
          <NavLink component={RouterLink} to="/app/settings/loyalty" label="Loyalty program"
            active={location.pathname.startsWith("/app/settings/loyalty")} />
        )}
        {user?.permissions.includes("users.read") && (
          <NavLink component={RouterLink} to="/app/settings/users" label="Users and roles"
            active={location.pathname.startsWith("/app/settings/users")} />
        )}
        {user?.permissions.includes("customers.read") && (["tags", "titles", "industries"] as const).map((list) => (
          // Everyone who sees customers sees the lists they refer to; settings.manage changes them.
          <NavLink key={list} component={RouterLink} to={`/app/settings/${list}`}
            label={{ tags: "Tags", titles: "Titles", industries: "Industries" }[list]}
            active={location.pathname.startsWith(`/app/settings/${list}`)} />
        ))}
        {user?.permissions.includes("audit.read") && (
          <NavLink component={RouterLink} to="/app/settings/audit-log" label="Audit log"
            active={location.pathname.startsWith("/app/settings/audit-log")} />
        )}
        {user?.permissions.includes("jobs.manage") && (
          <NavLink component={RouterLink} to="/app/settings/jobs" label="Jobs"
            active={location.pathname.startsWith("/app/settings/jobs")} />
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        {/* Exports are followed here, so their notifications come wherever the user goes. */}
        <ExportsProvider>
          <Outlet />
        </ExportsProvider>
      </AppShell.Main>
    </AppShell>
  );
}
