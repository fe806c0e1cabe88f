// The frame of a workspace's customer portal (/portal/:workspace): a header with the workspace and
// the signed-in customer's menu, the screen below it, and the "no such portal" page.
import {
  Alert, Avatar, Button, Center, Container, Group, Loader, Menu, Stack, Text, Title, UnstyledButton, VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect } from "react";
import { Link, Navigate, Outlet, useNavigate, useOutletContext, useParams } from "react-router-dom";

import { ApiError, PortalSession, problemText } from "../api";
import classes from "./portal.module.css";
import { usePortalInfo, usePortalSession, usePortalSignOut } from "./session";

export interface PortalContext {
  workspace: string;
  //! The signed-in customer's session, or null.
  session: PortalSession | null;
  //! The portal's own address, to build links from: /portal/{workspace}.
  home: string;
}

//! The workspace and session of the portal a screen is in.
export function usePortal() {
  return useOutletContext<PortalContext>();
}

export function initials(name: string) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? "?").slice(0, 2);
  return letters.toUpperCase();
}

//! A screen's white card; `narrow` for the short forms (sign-in, register...).
export function PortalCard({ narrow, children }: { narrow?: boolean; children: React.ReactNode }) {
  return <section className={narrow ? `${classes.card} ${classes.narrow}` : classes.card}>{children}</section>;
}

//! A screen for signed-in customers only: others go to the sign-in page.
export function RequireCustomer({ children }: { children: (session: PortalSession) => React.ReactNode }) {
  const { session, home } = usePortal();
  if (!session) return <Navigate to={`${home}/sign-in`} replace />;
  return <>{children(session)}</>;
}

function AccountMenu({ workspace, home, session }: { workspace: string; home: string; session: PortalSession }) {
  const signOut = usePortalSignOut(workspace);
  const navigate = useNavigate();
  const name = session.customer.name;
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        {/* Named by its content ("Your account: Pat Portal"): a name of its own would leave out the
            initials that show, and a visible label should be part of the name. */}
        <UnstyledButton className={classes.account}>
          <Group gap="xs" wrap="nowrap">
            <Avatar variant="white" color="teal.9" radius="xl" size={34} aria-hidden>{initials(name)}</Avatar>
            <VisuallyHidden>Your account:</VisuallyHidden>
            <Text size="sm" fw={500} maw={160} truncate className={classes.accountName}>{name}</Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{session.customer.email}</Menu.Label>
        <Menu.Item component={Link} to={home}>Your profile</Menu.Item>
        <Menu.Item component={Link} to={`${home}/orders`}>Orders and points</Menu.Item>
        <Menu.Item component={Link} to={`${home}/password`}>Change password</Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" onClick={async () => {
          try {
            await signOut();
            navigate(`${home}/sign-in`);
            notifications.show({ message: "You are signed out." });
          } catch (failure) {
            notifications.show({ color: "red", message: problemText(failure) });
          }
        }}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function PortalHeader({ workspace, name, session }:
  { workspace: string | null; name: string | null; session: PortalSession | null }) {
  const home = workspace ? `/portal/${workspace}` : null;
  const title = name ?? workspace;
  const brand = (
    <Group gap="sm" wrap="nowrap">
      <Avatar variant="white" color="teal.9" radius="md" size={40} aria-hidden>
        {title ? title.slice(0, 1).toUpperCase() : "?"}
      </Avatar>
      <div style={{ minWidth: 0 }}>
        <Text fw={700} size="lg" lh={1.2} truncate data-testid="portal-workspace">{title ?? "Customer portal"}</Text>
        {workspace && <Text size="xs" opacity={0.85}>Customer portal</Text>}
      </div>
    </Group>
  );
  return (
    <header className={classes.header}>
      <Container size={760} h={72}>
        <Group h="100%" justify="space-between" wrap="nowrap">
          {home ? <Link to={home} className={classes.brand}>{brand}</Link> : brand}
          {workspace && home && session && <AccountMenu workspace={workspace} home={home} session={session} />}
        </Group>
      </Container>
    </header>
  );
}

//! The portal's colours on <body> while it is shown (see .accent), and its name as the tab's title.
function usePortalLook(title: string) {
  useEffect(() => {
    document.body.classList.add(classes.accent);
    return () => document.body.classList.remove(classes.accent);
  }, []);
  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => { document.title = before; };
  }, [title]);
}

function NoSuchPortal({ workspace }: { workspace: string | null }) {
  return (
    <PortalCard narrow>
      <Stack gap="sm">
        <Title order={2}>No such portal</Title>
        <Text>
          {workspace
            ? <>There is no customer portal called <b>{workspace}</b>.</>
            : <>This address does not name a customer portal.</>}
        </Text>
        <Text c="dimmed" size="sm">
          Check the link you were given, or ask the business you shop with for the address of its portal.
        </Text>
      </Stack>
    </PortalCard>
  );
}

function Frame({ workspace, name = null, session, children }:
  { workspace: string | null; name?: string | null; session: PortalSession | null; children: React.ReactNode }) {
  return (
    <div className={classes.page}>
      <PortalHeader workspace={workspace} name={name} session={session} />
      <Container size={760} px={{ base: 0, xs: "md" }} pt={{ base: "xs", xs: "lg" }} pb="xl">
        <main>{children}</main>
      </Container>
    </div>
  );
}

//! /portal without a workspace.
export function PortalMissingPage() {
  usePortalLook("No such portal");
  return <Frame workspace={null} session={null}><NoSuchPortal workspace={null} /></Frame>;
}

export function PortalLayout() {
  const workspace = useParams().workspace ?? "";
  const info = usePortalInfo(workspace);
  const session = usePortalSession(workspace);
  const unknown = info.error instanceof ApiError && info.error.status === 404;
  const name = info.data?.name ?? null;
  usePortalLook(unknown ? "No such portal" : `${name ?? workspace} · Customer portal`);

  let content: React.ReactNode;
  if (session.isPending || info.isPending) {
    content = <Center py={80}><Loader color="white" role="status" aria-label="Loading" /></Center>;
  } else if (unknown) {
    return <Frame workspace={null} session={null}><NoSuchPortal workspace={workspace} /></Frame>;
  } else if (session.isError || info.isError) {
    content = (
      <PortalCard narrow>
        <Stack>
          <Alert color="red" role="alert" title="The portal could not be opened">
            {problemText(session.error ?? info.error)}
          </Alert>
          <Button variant="light" onClick={() => { info.refetch(); session.refetch(); }}>Try again</Button>
        </Stack>
      </PortalCard>
    );
  } else {
    const context: PortalContext = { workspace, session: session.data, home: `/portal/${workspace}` };
    content = <Outlet context={context} />;
  }
  return <Frame workspace={workspace} name={name} session={session.data ?? null}>{content}</Frame>;
}

//! An address under the portal that names no screen: its home instead.
export function PortalToHome() {
  const { home } = usePortal();
  return <Navigate to={home} replace />;
}
