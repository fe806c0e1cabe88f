// An order's page (/app/orders/:id): its lines, totals and refunds in its currency (and in the base
// currency when they differ), when it was placed, paid and fulfilled, its customer, and — for those
// with orders.write — a status change offering only the allowed transitions, sent with If-Match
// (a change made meanwhile by someone else, or by the shop, is a 412 with a Reload). Cancelled and
// refunded are final, so they are confirmed first.
import {
  Alert, Anchor, Breadcrumbs, Button, Card, Center, Grid, Group, Loader, Select, SimpleGrid, Stack, Table, Text,
  TextInput, Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";

import { ApiError, Order, OrderStatus, api, ifMatch, problemText } from "../api";
import { customerKey, useCustomerName } from "../customers/customerQueries";
import { ConfirmModal, ConflictAlert, Field, ScrollTable } from "../customers/parts";
import { formatWhen } from "../format";
import { formatMoney } from "../money";
import { useSession } from "../session";
import { StatusBadge } from "./OrdersTab";
import { nextStatuses, statusChange, statusOf } from "./orders";

export const orderKey = (id: number) => ["order", id] as const;

export function OrderPage() {
  const { id } = useParams();
  return <OrderView key={id} id={Number(id)} />;
}

function OrderView({ id }: { id: number }) {
  const permissions = useSession().data?.user.permissions ?? [];
  const order = useQuery({
    queryKey: orderKey(id),
    queryFn: () => api<Order>("GET", `/api/orders/${id}`),
    enabled: Number.isSafeInteger(id) && id > 0 && permissions.includes("orders.read"),
  });
  const customerId = order.data?.customer_id ?? null;
  const knownName = useCustomerName(customerId);

  if (!permissions.includes("orders.read")) {
    return <Alert color="gray" title="Not for your role" maw={640}>Your role does not show orders.</Alert>;
  }
  if (order.isPending) return <Center py="xl"><Loader role="status" aria-label="Loading the order" /></Center>;
  if (order.error) {
    const missing = order.error instanceof ApiError && order.error.status === 404;
    return (
      <Stack maw={640}>
        <Alert color={missing ? "yellow" : "red"} title={missing ? "No such order" : "The order cannot be opened"}>
          {missing ? "This order does not exist in your workspace." : problemText(order.error)}
        </Alert>
        <Anchor component={Link} to="/app/customers">Back to the customers</Anchor>
      </Stack>
    );
  }
  const o = order.data;
  const money = (minor: number) => formatMoney(minor, o.currency);
  const converted = o.base_currency !== o.currency;
  const customerName = knownName ?? (customerId !== null ? `Customer #${customerId}` : null);

  return (
    <Stack maw={1200}>
      <Breadcrumbs>
        <Anchor component={Link} to="/app/customers" size="sm">Customers</Anchor>
        {customerId !== null && (
          <Anchor component={Link} to={`/app/customers/${customerId}?tab=orders`} size="sm">{customerName}</Anchor>
        )}
        <Text size="sm">Order {o.number}</Text>
      </Breadcrumbs>
      <Group gap="sm" align="center">
        <Title order={2} style={{ overflowWrap: "anywhere" }}>Order {o.number}</Title>
        <StatusBadge status={o.status} />
      </Group>

      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <Card withBorder padding="lg">
              <Title order={4} mb="md">Lines</Title>
              <ScrollTable label="Order lines" minWidth={620}>
                <Table striped verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Item</Table.Th>
                      <Table.Th ta="right">Quantity</Table.Th>
                      <Table.Th ta="right">Unit price</Table.Th>
                      <Table.Th ta="right">Discount</Table.Th>
                      <Table.Th ta="right">Tax</Table.Th>
                      <Table.Th ta="right">Total</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {(o.lines ?? []).map((line, i) => (
                      <Table.Tr key={i} data-testid="order-line">
                        <Table.Td>
                          <Text size="sm">{line.name}</Text>
                          {line.sku && <Text size="xs" c="dimmed">SKU {line.sku}</Text>}
                        </Table.Td>
                        <Table.Td ta="right">{line.quantity.toLocaleString()}</Table.Td>
                        <Table.Td ta="right">{money(line.unit_price)}</Table.Td>
                        <Table.Td ta="right">{line.discount ? money(line.discount) : "—"}</Table.Td>
                        <Table.Td ta="right">{line.tax ? money(line.tax) : "—"}</Table.Td>
                        <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>{money(line.total)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
              <Totals order={o} />
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            {permissions.includes("orders.write") && <StatusChange order={o} />}
            <Card withBorder padding="lg">
              <Title order={4} mb="md">Details</Title>
              <Stack gap="sm">
                <Field label="Customer">
                  {customerId !== null
                    ? <Anchor component={Link} to={`/app/customers/${customerId}`} size="sm">{customerName}</Anchor>
                    : o.customer_email ? `Guest (${o.customer_email})` : "Guest"}
                </Field>
                {customerId !== null && <Field label="E-mail on the order">{o.customer_email}</Field>}
                <Field label="Placed">{formatWhen(o.placed_at)}</Field>
                <Field label="Paid">{formatWhen(o.paid_at)}</Field>
                <Field label="Fulfilled">{formatWhen(o.fulfilled_at)}</Field>
                <Field label="Currency">{o.currency}</Field>
                {converted && <Field label={`Exchange rate to ${o.base_currency}`}>{o.exchange_rate}</Field>}
                {converted && <Field label={`Total in ${o.base_currency}`}>{formatMoney(o.base_total, o.base_currency)}</Field>}
                {converted && o.base_refunded > 0 && (
                  <Field label={`Refunded in ${o.base_currency}`}>{formatMoney(o.base_refunded, o.base_currency)}</Field>
                )}
              </Stack>
            </Card>
            <Text size="xs" c="dimmed">Received {formatWhen(o.created_at)} · updated {formatWhen(o.updated_at)}</Text>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Totals({ order: o }: { order: Order }) {
  const money = (minor: number) => formatMoney(minor, o.currency);
  const rows: [string, string, boolean?][] = [["Subtotal", money(o.subtotal)]];
  if (o.discount) rows.push(["Discount", `\u2212${money(o.discount)}`]);
  rows.push(["Tax", money(o.tax)], ["Shipping", money(o.shipping)], ["Total", money(o.total), true]);
  if (o.refunded_amount > 0) {
    rows.push(["Refunded", `\u2212${money(o.refunded_amount)}`], ["Net", money(o.total - o.refunded_amount), true]);
  }
  return (
    <SimpleGrid cols={2} spacing={4} verticalSpacing={4} maw={360} ml="auto" mt="md" data-testid="order-totals">
      {rows.map(([label, value, strong]) => [
        <Text key={`${label}-label`} size="sm" fw={strong ? 700 : undefined}>{label}</Text>,
        <Text key={`${label}-value`} size="sm" ta="right" fw={strong ? 700 : undefined}>{value}</Text>,
      ])}
    </SimpleGrid>
  );
}

const finalStatuses: OrderStatus[] = ["cancelled", "refunded"];

function StatusChange({ order }: { order: Order }) {
  const client = useQueryClient();
  const [status, setStatus] = useState<OrderStatus | null>(null);
  const [refund, setRefund] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const options = nextStatuses(order.status);
  const change = useMutation({
    mutationFn: (body: object) => api<Order>("PATCH", `/api/orders/${order.id}`, body, { headers: ifMatch(order.version) }),
    onSuccess: (saved) => {
      setConfirming(false);
      setStatus(null);
      setRefund("");
      client.setQueryData(orderKey(order.id), saved);
      // Its customer's value figures, orders and points follow the order.
      if (saved.customer_id !== null) client.invalidateQueries({ queryKey: customerKey(saved.customer_id) });
      client.invalidateQueries({ queryKey: ["customers"] });
      notifications.show({ color: "teal", message: `Order ${saved.number} is now ${statusOf(saved.status).label.toLowerCase()}.` });
    },
    onError: (failure) => {
      setConfirming(false);
      if (failure instanceof ApiError && failure.status === 412) setConflict(true);
      else if (failure instanceof ApiError && failure.errors.some((e) => e.field === "refunded_amount")) {
        setError(failure.errors.find((e) => e.field === "refunded_amount")?.message ?? problemText(failure));
      } else setProblem(problemText(failure));
    },
  });

  if (options.length === 0) {
    return (
      <Card withBorder padding="lg">
        <Title order={4} mb="xs">Status</Title>
        <Text size="sm">A {statusOf(order.status).label.toLowerCase()} order does not change any more.</Text>
      </Card>
    );
  }
  const submit = () => {
    setProblem(null);
    if (!status) return;
    const result = statusChange(order, status, refund);
    if ("error" in result) { setError(result.error); return; }
    setError(null);
    if (finalStatuses.includes(status) && !confirming) { setConfirming(true); return; }
    change.mutate(result.body);
  };

  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="md">Change the status</Title>
      <form noValidate onSubmit={(event) => { event.preventDefault(); submit(); }}>
        <Stack gap="sm">
          <Select label="New status" placeholder="Choose" value={status} allowDeselect={false}
            data={options.map((s) => ({
              value: s, label: s === order.status ? `${statusOf(s).label} (a larger amount)` : statusOf(s).label,
            }))}
            onChange={(v) => { setStatus(v as OrderStatus); setError(null); }} />
          {status === "partially_refunded" && (
            <TextInput label={`Refunded in all (${order.currency})`} inputMode="decimal" value={refund} error={error}
              description={order.refunded_amount > 0 ? `Refunded so far: ${formatMoney(order.refunded_amount, order.currency)}` : undefined}
              onChange={(e) => { setRefund(e.currentTarget.value); setError(null); }} />
          )}
          {status !== "partially_refunded" && error && <Text size="sm" c="red" role="alert">{error}</Text>}
          {conflict && (
            <ConflictAlert what="order" onReload={async () => {
              await client.invalidateQueries({ queryKey: orderKey(order.id) });
              setConflict(false);
            }} />
          )}
          {problem && <Alert color="red" role="alert" title="The status was not changed">{problem}</Alert>}
          <Group justify="flex-end">
            <Button type="submit" disabled={!status || conflict} loading={change.isPending && !confirming}>Change status</Button>
          </Group>
        </Stack>
      </form>
      <ConfirmModal opened={confirming} busy={change.isPending} onClose={() => setConfirming(false)} onConfirm={submit}
        title={status === "cancelled" ? `Cancel order ${order.number}?` : `Refund order ${order.number} in full?`}
        confirm={status === "cancelled" ? "Cancel the order" : "Refund in full"} dismiss="Keep it as it is">
        <Text size="sm">
          {status === "cancelled"
            ? "A cancelled order is final: it no longer counts in the customer's value, and its points are taken back."
            : `The whole total, ${formatMoney(order.total, order.currency)}, is recorded as refunded. This is final, and the order's points are taken back.`}
        </Text>
      </ConfirmModal>
    </Card>
  );
}
