// The two ways the customer list shows a page: a table (dense, for desks) and cards (for phones
// and for looking people up), with the same facts, links and selection boxes; and their skeletons.
import {
  Anchor, Avatar, Badge, Card, Checkbox, Group, SimpleGrid, Skeleton, Stack, Table, Text,
} from "@mantine/core";
import { Link, useNavigate } from "react-router-dom";

import { Customer, Tag } from "../api";
import { formatDate } from "../format";
import { formatMoney } from "../money";
import { useBaseCurrency } from "../settings/workspaceSettings";

export interface Selection {
  /** Whether rows can be selected at all (the person may act on them). */
  enabled: boolean;
  ids: Set<number>;
  toggle: (customer: Customer) => void;
  toggleAll: () => void;
}

interface ViewProps {
  customers: Customer[];
  selection: Selection;
  countryName: (code: string) => string;
  /** Archived customers have no page to open: they are listed, not linked. */
  archived: boolean;
}

export function customerPath(customer: Customer) {
  return `/app/customers/${customer.id}`;
}

/** A tag in its colour, written as it was named (not in capitals) and never cut short. */
export function TagBadge({ tag, size = "sm" }: { tag: Tag; size?: "sm" | "md" }) {
  return (
    <Badge size={size} color={tag.color} variant="filled" autoContrast tt="none" miw="fit-content">{tag.name}</Badge>
  );
}

function TagBadges({ tags }: { tags: Tag[] }) {
  if (tags.length === 0) return null;
  return (
    <Group gap={4}>
      {tags.map((t) => (
        <TagBadge key={t.id} tag={t} />
      ))}
    </Group>
  );
}

function KindBadges({ customer }: { customer: Customer }) {
  if (customer.account_type !== "company" && !customer.portal_access) return null;
  return (
    <Group gap={4}>
      {customer.account_type === "company" && <Badge size="xs" variant="light">Company</Badge>}
      {customer.portal_access && <Badge size="xs" color="teal" variant="light">Portal access</Badge>}
    </Group>
  );
}

function CustomerName({ customer, archived }: { customer: Customer; archived: boolean }) {
  if (archived) return <Text size="sm" fw={500}>{customer.name}</Text>;
  return (
    <Anchor component={Link} to={customerPath(customer)} size="sm" fw={500} c="inherit">
      {customer.name}
    </Anchor>
  );
}

function location(customer: Customer, countryName: (code: string) => string) {
  const { city, country } = customer.address;
  return [city, country && countryName(country)].filter(Boolean).join(", ") || null;
}

/** A click anywhere on a row or card opens the customer, unless it was on something of its own. */
function useOpenOnClick(archived: boolean) {
  const navigate = useNavigate();
  return (customer: Customer) => (event: React.MouseEvent) => {
    if (archived || (event.target as HTMLElement).closest("a, button, input, label")) return;
    if (window.getSelection()?.toString()) return;  // selecting text to copy it is not a click
    navigate(customerPath(customer));
  };
}

function SelectAllBox({ customers, selection }: { customers: Customer[]; selection: Selection }) {
  const chosen = customers.filter((c) => selection.ids.has(c.id)).length;
  return (
    <Checkbox aria-label="Select all on this page" checked={chosen > 0 && chosen === customers.length}
      indeterminate={chosen > 0 && chosen < customers.length} onChange={selection.toggleAll} />
  );
}

function ordersText(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? "order" : "orders"}`;
}

/** "3 orders · $1,240.00": the customer's value in short, for the cards. */
function valueText(customer: Customer, currency: string | null): string | null {
  if (customer.order_count === 0) return null;
  const orders = ordersText(customer.order_count);
  return currency ? `${orders} · ${formatMoney(customer.lifetime_value, currency)}` : orders;
}

export function CustomerTable({ customers, selection, countryName, archived }: ViewProps) {
  const open = useOpenOnClick(archived);
  const base = useBaseCurrency();
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table highlightOnHover verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <Group gap="sm" wrap="nowrap">
                {selection.enabled && <SelectAllBox customers={customers} selection={selection} />}
                Name
              </Group>
            </Table.Th>
            <Table.Th>Contact</Table.Th>
            <Table.Th>Company</Table.Th>
            <Table.Th>Location</Table.Th>
            <Table.Th>Lifetime value</Table.Th>
            <Table.Th>Tags</Table.Th>
            {archived && <Table.Th>Archived</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {customers.map((c) => (
            <Table.Tr key={c.id} onClick={open(c)} style={archived ? undefined : { cursor: "pointer" }}
              bg={selection.ids.has(c.id) ? "var(--mantine-primary-color-light)" : undefined}>
              <Table.Td>
                {/* The name comes first in this cell's text (the avatar and box have none). */}
                <Group gap="sm" wrap="nowrap">
                  {selection.enabled && (
                    <Checkbox aria-label={`Select ${c.name}`} checked={selection.ids.has(c.id)}
                      onChange={() => selection.toggle(c)} />
                  )}
                  <Avatar src={c.avatar?.thumbnail_url} alt="" size={32} radius="xl"
                    color={c.account_type === "company" ? "indigo" : "gray"} />
                  <Stack gap={2}>
                    <CustomerName customer={c} archived={archived} />
                    <KindBadges customer={c} />
                  </Stack>
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{c.email ?? "—"}</Text>
                {(c.phone ?? c.mobile) && <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>{c.phone ?? c.mobile}</Text>}
              </Table.Td>
              <Table.Td>
                {c.company ? (
                  <Anchor component={Link} to={`/app/customers/${c.company.id}`} size="sm">{c.company.name}</Anchor>
                ) : "—"}
              </Table.Td>
              <Table.Td>{location(c, countryName) ?? "—"}</Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                {/* The value, and under it how many orders and the last one's day. */}
                <Text size="sm">{base ? formatMoney(c.lifetime_value, base) : ""}</Text>
                <Text size="xs" c="dimmed">
                  {ordersText(c.order_count)}{c.last_order_at ? ` · last ${formatDate(c.last_order_at)}` : ""}
                </Text>
              </Table.Td>
              <Table.Td><TagBadges tags={c.tags} /></Table.Td>
              {archived && (
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  {c.deleted_at ? new Date(c.deleted_at).toLocaleDateString() : "—"}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function CustomerCards({ customers, selection, countryName, archived }: ViewProps) {
  const open = useOpenOnClick(archived);
  const base = useBaseCurrency();
  return (
    <Stack gap="sm">
      {selection.enabled && (
        <Group gap="sm">
          <SelectAllBox customers={customers} selection={selection} />
          <Text size="sm" c="dimmed">Select all on this page</Text>
        </Group>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {customers.map((c) => {
          const where = location(c, countryName);
          const value = valueText(c, base);
          const about = c.account_type === "company"
            ? c.industry?.name
            : [c.job_title, c.company?.name].filter(Boolean).join(" at ");
          return (
            <Card key={c.id} component="article" aria-label={c.name} withBorder padding="md" onClick={open(c)}
              style={archived ? undefined : { cursor: "pointer" }}
              bg={selection.ids.has(c.id) ? "var(--mantine-primary-color-light)" : undefined}>
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <Avatar src={c.avatar?.thumbnail_url} name={c.name} color="initials" size={44} radius="xl" alt="" />
                <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                  <CustomerName customer={c} archived={archived} />
                  {about && <Text size="xs" c="dimmed" truncate>{about}</Text>}
                  <KindBadges customer={c} />
                </Stack>
                {selection.enabled && (
                  <Checkbox aria-label={`Select ${c.name}`} checked={selection.ids.has(c.id)}
                    onChange={() => selection.toggle(c)} />
                )}
              </Group>
              <Stack gap={2} mt="sm">
                {c.email && <Text size="sm" truncate>{c.email}</Text>}
                {(c.phone ?? c.mobile) && <Text size="sm" c="dimmed">{c.phone ?? c.mobile}</Text>}
                {where && <Text size="sm" c="dimmed">{where}</Text>}
                {value && <Text size="sm">{value}</Text>}
                {archived && c.deleted_at && (
                  <Text size="xs" c="dimmed">Archived {new Date(c.deleted_at).toLocaleDateString()}</Text>
                )}
              </Stack>
              {c.tags.length > 0 && <Group mt="sm"><TagBadges tags={c.tags} /></Group>}
            </Card>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}

/** Grey shapes where the first page will be, so the layout does not jump when it arrives. */
export function ListSkeleton({ view }: { view: "table" | "cards" }) {
  if (view === "cards") {
    return (
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" role="status" aria-label="Loading customers">
        {Array.from({ length: 6 }, (_, i) => <Skeleton key={i} height={132} radius="md" />)}
      </SimpleGrid>
    );
  }
  return (
    <Stack gap="xs" role="status" aria-label="Loading customers">
      <Skeleton height={36} radius="sm" />
      {Array.from({ length: 8 }, (_, i) => <Skeleton key={i} height={48} radius="sm" />)}
    </Stack>
  );
}
