// A customer's Orders tab: their orders, newest placed first, twenty at a time with "Load more"
// following the keyset cursor; each with its status and total in its own currency, linked to the
// order's page.
import { Alert, Anchor, Badge, Button, Card, Center, Loader, Stack, Table, Text } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { OrderListItem, Page, api, problemText } from "../api";
import { customerKey } from "../customers/customerQueries";
import { ScrollTable } from "../customers/parts";
import { formatWhen } from "../format";
import { formatMoney } from "../money";
import { ordersQuery, statusOf } from "./orders";

const pageSize = 20;

export const customerOrdersKey = (customerId: number) => [...customerKey(customerId), "orders"] as const;

export function StatusBadge({ status }: { status: OrderListItem["status"] }) {
  const { label, color } = statusOf(status);
  return <Badge color={color} variant="light" tt="none" data-testid="order-status">{label}</Badge>;
}

export function OrdersTab({ customerId }: { customerId: number }) {
  const orders = useInfiniteQuery({
    queryKey: customerOrdersKey(customerId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<Page<OrderListItem>>("GET", `/api/customers/${customerId}/orders?${ordersQuery(pageSize, pageParam)}`),
    getNextPageParam: (last) => last.next_cursor,
  });

  if (orders.isPending) return <Center py="xl"><Loader role="status" aria-label="Loading the orders" /></Center>;
  if (!orders.data) return <Alert color="red" role="alert">{problemText(orders.error)}</Alert>;
  const rows = orders.data.pages.flatMap((page) => page.data);
  if (rows.length === 0) return <Text c="dimmed" ta="center" py="xl">No orders yet.</Text>;

  return (
    <Card withBorder padding="lg">
      <Stack>
        <ScrollTable label="Orders" minWidth={560}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Order</Table.Th>
                <Table.Th>Placed</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
                <Table.Th ta="right">Refunded</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((order) => (
                <Table.Tr key={order.id} data-testid="order-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/app/orders/${order.id}`} size="sm" fw={500}>{order.number}</Anchor>
                  </Table.Td>
                  <Table.Td><Text size="sm"><time dateTime={order.placed_at}>{formatWhen(order.placed_at)}</time></Text></Table.Td>
                  <Table.Td><StatusBadge status={order.status} /></Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>{formatMoney(order.total, order.currency)}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
                    {order.refunded_amount > 0 ? formatMoney(order.refunded_amount, order.currency) : "—"}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
        {orders.hasNextPage && (
          <Button variant="default" loading={orders.isFetchingNextPage} onClick={() => orders.fetchNextPage()}
            style={{ alignSelf: "center" }}>
            Load more
          </Button>
        )}
        {orders.error && <Alert color="red" role="alert">{problemText(orders.error)}</Alert>}
      </Stack>
    </Card>
  );
}
