// The customer's page (/app/customers/:id): the record with its badges and actions (Edit, portal
// invitation and access, Archive with its contacts, Restore), and the tabs Overview, Contacts (for
// a company), Addresses, Orders and Cart (orders.read), Loyalty (loyalty.read) and History. `?tab=`
// keeps the open tab in the address, so Back and reload keep it.
import {
  Alert, Anchor, Avatar, Badge, Breadcrumbs, Button, Card, Center, Code, CopyButton, Grid, Group, Loader, Modal,
  SimpleGrid, Stack, Table, Tabs, Text, Title,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";

import { ApiError, Customer, api, problemText } from "../api";
import { formatDay, formatWhen } from "../format";
import { formatDecimalMoney } from "../money";
import { useSession } from "../session";
import { AddressesTab } from "./AddressesTab";
import { HistoryTab } from "./HistoryTab";
import { initials } from "./AvatarPicker";
import { ContactsTab, archivedContactsKey, contactsKey, useContacts } from "./ContactsTab";
import { postalLines } from "./addressForm";
import { genders } from "./customerForm";
import { customerChanged, customerKey, useCustomer } from "./customerQueries";
import { usePlaceNames } from "./lists";
import { ConfirmModal, Field } from "./parts";
import { CartTab } from "../carts/CartTab";
import { LoyaltyTab } from "../loyalty/LoyaltyTab";
import { OrdersTab } from "../orders/OrdersTab";
import { ValueCard } from "./ValueCard";
import { TagBadge } from "./selects";

export function CustomerViewPage() {
  const { id } = useParams();
  // A new page per customer: a contact's link from a company's page starts with nothing left open.
  return <CustomerView key={id} id={Number(id)} />;
}

function CustomerView({ id }: { id: number }) {
  const customer = useCustomer(id);
  const [params, setParams] = useSearchParams();
  const permissions = useSession().data?.user.permissions ?? [];
  const seesOrders = permissions.includes("orders.read");
  const seesPoints = permissions.includes("loyalty.read");

  if (customer.isPending) return <Center py="xl"><Loader role="status" aria-label="Loading the customer" /></Center>;
  if (customer.error) {
    const missing = customer.error instanceof ApiError && customer.error.status === 404;
    return (
      <Stack maw={640}>
        <Alert color={missing ? "yellow" : "red"} title={missing ? "No such customer" : "The customer cannot be opened"}>
          {missing ? "This customer does not exist in your workspace, or has been deleted." : problemText(customer.error)}
        </Alert>
        <Anchor component={Link} to="/app/customers">Back to the customers</Anchor>
      </Stack>
    );
  }
  const c = customer.data;
  const company = c.account_type === "company";
  const requested = params.get("tab");
  const tab = requested === "addresses" || requested === "history" || (requested === "contacts" && company)
    || ((requested === "orders" || requested === "cart") && seesOrders) || (requested === "loyalty" && seesPoints)
    ? requested : "overview";

  return (
    <Stack maw={1200}>
      <Breadcrumbs>
        <Anchor component={Link} to="/app/customers" size="sm">Customers</Anchor>
        <Text size="sm">{c.name}</Text>
      </Breadcrumbs>
      <CustomerHeader customer={c} />
      <Tabs value={tab} keepMounted={false}
        onChange={(value) => setParams(value && value !== "overview" ? { tab: value } : {}, { replace: true })}>
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          {company && <Tabs.Tab value="contacts">Contacts</Tabs.Tab>}
          <Tabs.Tab value="addresses">Addresses</Tabs.Tab>
          {seesOrders && <Tabs.Tab value="orders">Orders</Tabs.Tab>}
          {seesOrders && <Tabs.Tab value="cart">Cart</Tabs.Tab>}
          {seesPoints && <Tabs.Tab value="loyalty">Loyalty</Tabs.Tab>}
          <Tabs.Tab value="history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md"><Overview customer={c} /></Tabs.Panel>
        {company && <Tabs.Panel value="contacts" pt="md"><ContactsPanel company={c} /></Tabs.Panel>}
        <Tabs.Panel value="addresses" pt="md"><AddressesPanel customer={c} /></Tabs.Panel>
        {seesOrders && <Tabs.Panel value="orders" pt="md"><OrdersTab customerId={c.id} /></Tabs.Panel>}
        {seesOrders && (
          <Tabs.Panel value="cart" pt="md">
            <CartTab customerId={c.id} customerName={c.name} archived={Boolean(c.deleted_at)} />
          </Tabs.Panel>
        )}
        {seesPoints && (
          <Tabs.Panel value="loyalty" pt="md">
            <LoyaltyTab customerId={c.id} customerName={c.name} archived={Boolean(c.deleted_at)} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="history" pt="md"><HistoryTab customerId={c.id} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function usePermissions() {
  const permissions = useSession().data?.user.permissions ?? [];
  return { canWrite: permissions.includes("customers.write"), canDelete: permissions.includes("customers.delete") };
}

function ContactsPanel({ company }: { company: Customer }) {
  const { canWrite, canDelete } = usePermissions();
  return <ContactsTab company={company} canWrite={canWrite} canDelete={canDelete} />;
}

function AddressesPanel({ customer }: { customer: Customer }) {
  const { canWrite } = usePermissions();
  return <AddressesTab customerId={customer.id} archived={Boolean(customer.deleted_at)} canWrite={canWrite} />;
}

function CustomerHeader({ customer: c }: { customer: Customer }) {
  const client = useQueryClient();
  const { canWrite, canDelete } = usePermissions();
  const archived = Boolean(c.deleted_at);
  const company = c.account_type === "company";
  const contacts = useContacts(c.id, company && !archived);
  const [archiving, setArchiving] = useState<"confirm" | "contacts" | null>(null);
  const [removingAccess, setRemovingAccess] = useState(false);
  const [invitation, setInvitation] = useState<{ url: string; expires_at: string } | null>(null);
  const failed = (title: string) => (failure: unknown) =>
    notifications.show({ color: "red", title, message: problemText(failure) });

  const archive = useMutation({
    mutationFn: (cascade: boolean) => api("DELETE", `/api/customers/${c.id}${cascade ? "?cascade=contacts" : ""}`),
    onSuccess: (_, cascade) => {
      setArchiving(null);
      // The server no longer returns it by id: this page keeps showing it, marked archived.
      client.setQueryData<Customer>(customerKey(c.id), { ...c, deleted_at: new Date().toISOString() });
      customerChanged(client);
      client.removeQueries({ queryKey: contactsKey(c.id) });
      client.invalidateQueries({ queryKey: archivedContactsKey(c.id) });
      notifications.show({ color: "teal", message: cascade ? `${c.name} and its contacts archived.` : `${c.name} archived.` });
    },
    onError: (failure) => {
      if (failure instanceof ApiError && failure.status === 409 && company) {
        contacts.refetch();
        setArchiving("contacts");
      } else {
        setArchiving(null);
        failed("Not archived")(failure);
      }
    },
  });
  const restore = useMutation({
    mutationFn: () => api<{ customer: Customer }>("POST", `/api/customers/${c.id}/restore`),
    onSuccess: (answer) => {
      customerChanged(client, answer.customer);
      client.invalidateQueries({ queryKey: customerKey(c.id) });
      notifications.show({ color: "teal", message: `${c.name} restored.` });
    },
    onError: failed("Not restored"),
  });
  const invite = useMutation({
    mutationFn: () => api<{ url: string; expires_at: string }>("POST", `/api/customers/${c.id}/portal-invitation`),
    onSuccess: setInvitation,
    onError: failed("No invitation made"),
  });
  const removeAccess = useMutation({
    mutationFn: () => api("DELETE", `/api/customers/${c.id}/portal-access`),
    onSuccess: () => {
      setRemovingAccess(false);
      client.invalidateQueries({ queryKey: customerKey(c.id), exact: true });
      customerChanged(client);
      notifications.show({ color: "teal", message: `${c.name} can no longer sign in to the portal.` });
    },
    onError: (failure) => { setRemovingAccess(false); failed("Portal access not removed")(failure); },
  });
  const contactCount = contacts.data?.data.length ?? 0;
  const buttons = useMediaQuery("(max-width: 36em)") ? "xs" : "sm";  // the actions on one line on a phone

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start" gap="md">
        <Group wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
          <Avatar src={c.avatar?.thumbnail_url ?? null} size={72} radius={72} color="indigo"
            alt={c.avatar ? `Avatar of ${c.name}` : undefined} data-testid="customer-avatar">
            {initials(c.name)}
          </Avatar>
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Title order={2} style={{ overflowWrap: "anywhere" }}>
              {c.title && c.account_type === "individual" ? `${c.title.short_name} ` : ""}{c.name}
            </Title>
            <Group gap={6}>
              <Badge variant="light" color={company ? "indigo" : "gray"}>{company ? "Company" : "Individual"}</Badge>
              {c.portal_access && <Badge variant="light" color="teal">Portal access</Badge>}
              {archived && <Badge variant="filled" color="red">Archived</Badge>}
              {c.tags.map((tag) => <TagBadge key={tag.id} tag={tag} />)}
            </Group>
            {(c.company || c.job_title) && (
              <Text size="sm" c="dimmed">
                {c.job_title}{c.job_title && c.company ? " at " : ""}
                {c.company && <Anchor component={Link} to={`/app/customers/${c.company.id}`} size="sm" underline="always">{c.company.name}</Anchor>}
              </Text>
            )}
          </Stack>
        </Group>
        {!archived && (
          <Group gap="xs">
            {canWrite && <Button size={buttons} component={Link} to={`/app/customers/${c.id}/edit`}>Edit</Button>}
            {canWrite && !c.portal_access && (
              <Button size={buttons} variant="default" loading={invite.isPending} onClick={() => invite.mutate()}>
                Invite to portal
              </Button>
            )}
            {canWrite && c.portal_access && (
              <Button size={buttons} variant="default" onClick={() => setRemovingAccess(true)}>Remove portal access</Button>
            )}
            {canDelete && (
              <Button size={buttons} variant="default" color="red" onClick={() => setArchiving("confirm")}>Archive</Button>
            )}
          </Group>
        )}
      </Group>

      {archived && (
        <Alert color="gray" title="Archived">
          <Group justify="space-between" gap="sm">
            <Text size="sm">
              {c.name} was archived{c.deleted_at ? ` on ${formatWhen(c.deleted_at)}` : ""}. It is out of the customer
              list; restore it to work with it again.
            </Text>
            {canWrite && <Button loading={restore.isPending} onClick={() => restore.mutate()}>Restore</Button>}
          </Group>
        </Alert>
      )}

      <ConfirmModal opened={archiving === "confirm"} title={`Archive ${c.name}?`} confirm="Archive"
        busy={archive.isPending} onClose={() => setArchiving(null)} onConfirm={() => archive.mutate(false)}>
        <Text size="sm">
          {c.name} leaves the customer list and goes to the archive. Nothing is lost: it can be restored from there.
        </Text>
      </ConfirmModal>
      <ConfirmModal opened={archiving === "contacts"} title="This company has contacts" confirm="Archive with its contacts"
        busy={archive.isPending} onClose={() => setArchiving(null)} onConfirm={() => archive.mutate(true)}>
        <Text size="sm">
          {c.name} still has {contacts.isFetching ? "contacts" : contactCount === 1 ? "1 contact" : `${contactCount} contacts`},
          and a company is not archived without them.
        </Text>
        <Text size="sm">
          Archive them together with the company, or cancel and move or archive the contacts first in the Contacts tab.
          After a restore of the company, its archived contacts can be restored from there too.
        </Text>
      </ConfirmModal>
      <ConfirmModal opened={removingAccess} title="Remove portal access?" confirm="Remove access"
        busy={removeAccess.isPending} onClose={() => setRemovingAccess(false)} onConfirm={() => removeAccess.mutate()}>
        <Text size="sm">
          {c.name} can no longer sign in to the customer portal: the password, the open sessions and any invitation
          stop working. You can invite them again later.
        </Text>
      </ConfirmModal>
      <Modal opened={invitation !== null} onClose={() => setInvitation(null)} title="Portal invitation">
        <Stack>
          <Alert color="yellow" title="Shown once">
            Send this link to {c.name} ({c.email}). It works once, until {formatWhen(invitation?.expires_at ?? null)},
            and lets them choose a password for the portal.
          </Alert>
          <Code block data-testid="portal-invitation-link" style={{ overflowWrap: "anywhere", whiteSpace: "pre-wrap" }}>
            {invitation?.url}
          </Code>
          <CopyButton value={invitation?.url ?? ""}>
            {({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? "Copied" : "Copy link"}</Button>}
          </CopyButton>
        </Stack>
      </Modal>
    </Stack>
  );
}

function Overview({ customer: c }: { customer: Customer }) {
  const places = usePlaceNames(c.address.country);
  const lines = postalLines(c.address, places.countryName, places.stateName);
  const individual = c.account_type === "individual";
  const history = c.purchase_history ?? [];
  const seesOrders = useSession().data?.user.permissions.includes("orders.read") ?? false;
  const website = c.website;

  return (
    <Grid gutter="md">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack>
          <Card withBorder padding="lg">
            <Title order={4} mb="md">General</Title>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing="md">
              {individual && (
                <Field label="Company">
                  {c.company && <Anchor component={Link} to={`/app/customers/${c.company.id}`} size="sm">{c.company.name}</Anchor>}
                </Field>
              )}
              {individual && <Field label="Job title">{c.job_title}</Field>}
              <Field label="E-mail">{c.email && <Anchor href={`mailto:${c.email}`} size="sm" style={{ overflowWrap: "anywhere" }}>{c.email}</Anchor>}</Field>
              <Field label="Website">
                {website && <Anchor href={website} target="_blank" rel="noreferrer noopener" size="sm"
                  style={{ overflowWrap: "anywhere" }}>{website.replace(/^https?:\/\//, "")}</Anchor>}
              </Field>
              <Field label="Phone">{c.phone && <Anchor href={`tel:${c.phone}`} size="sm">{c.phone}</Anchor>}</Field>
              <Field label="Mobile">{c.mobile && <Anchor href={`tel:${c.mobile}`} size="sm">{c.mobile}</Anchor>}</Field>
              <Field label="Tax ID">{c.tax_id}</Field>
              <Field label="Title">{c.title && `${c.title.short_name} (${c.title.name})`}</Field>
              {individual && <Field label="Birthdate">{c.birthdate && formatDay(c.birthdate)}</Field>}
              {individual && <Field label="Gender">{genders.find((g) => g.value === c.gender)?.label}</Field>}
              <Field label="Address">
                {lines.length > 0 && <Stack gap={0}>{lines.map((line, i) => <Text size="sm" key={i}>{line}</Text>)}</Stack>}
              </Field>
              <Field label="Tags">
                {c.tags.length > 0 && <Group gap={4}>{c.tags.map((t) => <TagBadge key={t.id} tag={t} />)}</Group>}
              </Field>
            </SimpleGrid>
          </Card>
          <Card withBorder padding="lg">
            <Title order={4} mb="md">Sales & Purchase</Title>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing="md">
              <Field label="Responsible">{c.responsible && (c.responsible.name || c.responsible.email)}</Field>
              <Field label="Industry">{c.industry?.name}</Field>
              <Field label="Company ID">{c.company_registry}</Field>
              <Field label="Reference">{c.reference}</Field>
            </SimpleGrid>
          </Card>
          <Card withBorder padding="lg">
            <Title order={4} mb="xs">Notes</Title>
            {c.notes ? <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>{c.notes}</Text>
              : <Text size="sm" c="dimmed">No notes.</Text>}
          </Card>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack>
          <Card withBorder padding="lg">
            <Title order={4} mb="md">Portal</Title>
            <Stack gap="sm">
              <Field label="Access">
                {c.portal_access ? <Badge color="teal" variant="light">Portal access</Badge> : "No access"}
              </Field>
              <Field label="Last portal login">{c.portal_access ? formatWhen(c.portal_last_login) ?? "Never" : null}</Field>
              <Field label="Registered">{c.registered_via === "portal" ? "By themselves, on the portal" : "By the team, here"}</Field>
            </Stack>
          </Card>
          <ValueCard customer={c} />
          <Card withBorder padding="lg">
            <Title order={4} mb="xs">Loyalty points</Title>
            <Group gap="sm" align="center">
              <Text fz={28} fw={700} data-testid="loyalty-points">{c.loyalty_points.toLocaleString()}</Text>
              {c.loyalty_tier && <Badge variant="light" color="grape" tt="none">{c.loyalty_tier}</Badge>}
            </Group>
          </Card>
          <Card withBorder padding="lg">
            <Title order={4} mb="xs">Purchase history</Title>
            {history.length === 0 ? <Text size="sm" c="dimmed">No purchases yet.</Text> : (
              <Table.ScrollContainer minWidth={260}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr><Table.Th>Order</Table.Th><Table.Th>Date</Table.Th><Table.Th ta="right">Amount</Table.Th></Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {history.map((order) => (
                      <Table.Tr key={order.order_id}>
                        <Table.Td>
                          {seesOrders
                            ? <Anchor component={Link} to={`/app/orders/${order.order_id}`} size="sm">#{order.order_id}</Anchor>
                            : `#${order.order_id}`}
                        </Table.Td>
                        <Table.Td>{formatDay(order.date)}</Table.Td>
                        <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>{formatDecimalMoney(order.amount, order.currency)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
          <Text size="xs" c="dimmed">
            Created {formatWhen(c.created_at)} · updated {formatWhen(c.updated_at)}
          </Text>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
