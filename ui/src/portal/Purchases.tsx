// "Orders and points" in the portal: the signed-in customer's loyalty points (balance, tier, the
// next expiry, the history of the ledger) and their orders, newest first, each opening to its lines.
import {
  Accordion, Alert, Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title,
} from "@mantine/core";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { ApiError, Page, PortalLoyalty, PortalOrder, PortalOrderSummary, problemText } from "../api";
import { PortalCard, RequireCustomer, usePortal } from "./Layout";
import classes from "./portal.module.css";
import { entryText, expiryText, formatDate, formatMoney, orderStatus, pointsText } from "./purchases";
import { portalApi, usePortalSessionLost } from "./session";

const pageSize = 10;

//! A portal list's next page: `route` with `limit` and the cursor of the page before.
function pageRoute(route: string, cursor: string | null) {
  const query = new URLSearchParams({ limit: String(pageSize) });
  if (cursor) query.set("cursor", cursor);
  return `${route}?${query}`;
}

//! A failed read: a lost session sends the customer to sign in again; anything else is shown.
function useFailure(workspace: string) {
  const lost = usePortalSessionLost(workspace);
  return (failure: unknown) => {
    if (failure instanceof ApiError && failure.status === 401) lost();
    return <Alert color="red" role="alert">{problemText(failure)}</Alert>;
  };
}

function Points() {
  const { workspace } = usePortal();
  const failure = useFailure(workspace);
  const loyalty = useInfiniteQuery({
    queryKey: ["portal", workspace, "loyalty"],
    queryFn: ({ pageParam }) => portalApi<PortalLoyalty>(workspace, "GET", pageRoute("loyalty", pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  if (loyalty.isPending) return <PortalCard><Loader size="sm" aria-label="Loading your points" /></PortalCard>;
  if (loyalty.isError) return <PortalCard>{failure(loyalty.error)}</PortalCard>;
  const first = loyalty.data.pages[0];
  const entries = loyalty.data.pages.flatMap((page) => page.entries);
  const expiry = expiryText(first);
  return (
    <PortalCard>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h3">Your points</Title>
            {expiry && <Text size="sm" c="dimmed" data-testid="points-expiry">{expiry}</Text>}
          </div>
          <div className={classes.points}>
            <Text size="xs" tt="uppercase" fw={700} c="teal.9">Balance</Text>
            <Text fz={32} fw={800} lh={1.1} c="teal.9" data-testid="points-balance">
              {first.balance.toLocaleString()}
            </Text>
            {first.tier && <Badge color="teal.9" variant="filled" tt="none" data-testid="points-tier">{first.tier}</Badge>}
          </div>
        </Group>
        {entries.length === 0 ? (
          <Text c="dimmed" size="sm">No points yet: you earn them with your orders.</Text>
        ) : (
                      <Table verticalSpacing="xs" data-testid="points-history">
              <Table.Caption>Points history, newest first</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Date</Table.Th>
                  <Table.Th scope="col">What</Table.Th>
                  <Table.Th scope="col" ta="right">Points</Table.Th>
                  <Table.Th scope="col" ta="right">Balance</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>{formatDate(entry.created_at)}</Table.Td>
                    <Table.Td>
                      {entryText(entry)}
                      {entry.expires_at && (
                        <Text size="xs" c="dimmed">Valid until {formatDate(entry.expires_at)}</Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" fw={600} c={entry.points < 0 ? "red.9" : "teal.9"} className={classes.amount}>
                      {pointsText(entry.points)}
                    </Table.Td>
                    <Table.Td ta="right">{entry.balance_after.toLocaleString()}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
                  )}
        {loyalty.hasNextPage && (
          <Button variant="default" onClick={() => loyalty.fetchNextPage()} loading={loyalty.isFetchingNextPage}
            style={{ alignSelf: "center" }}>
            Show older points
          </Button>
        )}
      </Stack>
    </PortalCard>
  );
}

function OrderLines({ order }: { order: PortalOrderSummary }) {
  const { workspace } = usePortal();
  const failure = useFailure(workspace);
  const detail = useQuery({
    queryKey: ["portal", workspace, "order", order.id],
    queryFn: () => portalApi<PortalOrder>(workspace, "GET", `orders/${order.id}`),
  });
  if (detail.isPending) return <Loader size="sm" aria-label="Loading the order" />;
  if (detail.isError) return failure(detail.error);
  const money = (minor: number) => formatMoney(minor, order.currency);
  const d = detail.data;
  const totals: [string, number][] = [["Items", d.subtotal]];
  if (d.discount) totals.push(["Discount", -d.discount]);
  if (d.shipping) totals.push(["Shipping", d.shipping]);
  if (d.tax) totals.push(["Tax", d.tax]);
  totals.push(["Total", d.total]);
  if (d.refunded_amount) totals.push(["Refunded", -d.refunded_amount]);
  return (
          <Table verticalSpacing="xs" data-testid={`order-lines-${order.id}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Item</Table.Th>
            <Table.Th scope="col" ta="right">Qty</Table.Th>
            <Table.Th scope="col" ta="right" visibleFrom="xs">Price</Table.Th>
            <Table.Th scope="col" ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d.lines.map((line, i) => (
            <Table.Tr key={i}>
              <Table.Td>
                {line.name}
                {line.sku && <Text size="xs" c="dimmed">{line.sku}</Text>}
              </Table.Td>
              <Table.Td ta="right">{line.quantity.toLocaleString()}</Table.Td>
              <Table.Td ta="right" visibleFrom="xs" className={classes.amount}>{money(line.unit_price)}</Table.Td>
              <Table.Td ta="right" className={classes.amount}>{money(line.total)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          {totals.map(([label, amount]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" colSpan={2} ta="right">{label}</Table.Th>
              <Table.Td visibleFrom="xs" />
              <Table.Td ta="right" fw={label === "Total" ? 700 : undefined} className={classes.amount}>
                {money(amount)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tfoot>
      </Table>
      );
}

function Orders() {
  const { workspace } = usePortal();
  const failure = useFailure(workspace);
  const orders = useInfiniteQuery({
    queryKey: ["portal", workspace, "orders"],
    queryFn: ({ pageParam }) => portalApi<Page<PortalOrderSummary>>(workspace, "GET", pageRoute("orders", pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const list = orders.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <PortalCard>
      <Stack gap="md">
        <Title order={2} size="h3">Your orders</Title>
        {orders.isPending && <Loader size="sm" aria-label="Loading your orders" />}
        {orders.isError && failure(orders.error)}
        {orders.isSuccess && list.length === 0 && <Text c="dimmed" size="sm">You have no orders yet.</Text>}
        {list.length > 0 && (
          <Accordion variant="separated" data-testid="orders">
            {list.map((order) => {
              const status = orderStatus(order.status);
              return (
                <Accordion.Item key={order.id} value={String(order.id)}>
                  <Accordion.Control>
                    <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
                      <Stack gap={4}>
                        <Text fw={600}>Order {order.number}</Text>
                        <Group gap="xs">
                          <Text size="sm" c="dimmed">{formatDate(order.placed_at)}</Text>
                          <Badge color={status.color} variant="filled" tt="none">{status.label}</Badge>
                        </Group>
                      </Stack>
                      <Text fw={600} className={classes.amount}>{formatMoney(order.total, order.currency)}</Text>
                    </Group>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <OrderLines order={order} />
                  </Accordion.Panel>
                </Accordion.Item>
              );
            })}
          </Accordion>
        )}
        {orders.hasNextPage && (
          <Button variant="default" onClick={() => orders.fetchNextPage()} loading={orders.isFetchingNextPage}
            style={{ alignSelf: "center" }}>
            Show older orders
          </Button>
        )}
      </Stack>
    </PortalCard>
  );
}

export function PortalPurchases() {
  const { home } = usePortal();
  return (
    <RequireCustomer>
      {() => (
        <Stack gap="md">
          <PortalCard>
            <Group justify="space-between">
              <Title order={1} size="h2">Orders and points</Title>
              <Anchor component={Link} to={home} fw={500}>Back to your profile</Anchor>
            </Group>
          </PortalCard>
          <Points />
          <Orders />
        </Stack>
      )}
    </RequireCustomer>
  );
}
