// A customer's Cart tab: the open cart the shop keeps for them (and restores on another device) —
// its lines with quantity, unit price and line total, the subtotal in the cart's currency, and when
// it was last changed. Those with orders.write may clear it, after a confirmation.
import { Alert, Button, Card, Center, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { Cart, api, problemText } from "../api";
import { historyKey } from "../customers/HistoryTab";
import { customerKey } from "../customers/customerQueries";
import { ConfirmModal, Field, ScrollTable } from "../customers/parts";
import { formatWhen, relativeTime } from "../format";
import { formatMoney } from "../money";
import { useSession } from "../session";
import { cartSubtotal, itemsText, lineTotal } from "./carts";

export const cartKey = (customerId: number) => [...customerKey(customerId), "cart"] as const;
export const cartsListKey = ["carts"] as const;

export function CartTab({ customerId, customerName, archived }: { customerId: number; customerName: string; archived: boolean }) {
  const client = useQueryClient();
  const canWrite = useSession().data?.user.permissions.includes("orders.write") ?? false;
  const [confirming, setConfirming] = useState(false);
  // An archived customer's cart is not served (404): the shop cannot restore it either.
  const cart = useQuery({
    queryKey: cartKey(customerId), enabled: !archived,
    queryFn: () => api<Cart>("GET", `/api/customers/${customerId}/cart`),
  });
  const clear = useMutation({
    mutationFn: () => api("DELETE", `/api/customers/${customerId}/cart`),
    onSuccess: () => {
      setConfirming(false);
      client.invalidateQueries({ queryKey: cartKey(customerId) });
      client.invalidateQueries({ queryKey: historyKey(customerId) });
      client.invalidateQueries({ queryKey: cartsListKey });
      notifications.show({ color: "teal", message: `${customerName}'s cart is cleared.` });
    },
    onError: (failure) => {
      setConfirming(false);
      notifications.show({ color: "red", title: "Cart not cleared", message: problemText(failure) });
    },
  });

  if (archived) {
    return <Text c="dimmed" ta="center" py="xl">An archived customer's cart is not kept open. Restore the customer to see it.</Text>;
  }
  if (cart.isPending) return <Center py="xl"><Loader role="status" aria-label="Loading the cart" /></Center>;
  if (!cart.data) return <Alert color="red" role="alert">{problemText(cart.error)}</Alert>;
  const c = cart.data;
  if (c.lines.length === 0 || !c.currency) {
    return <Text c="dimmed" ta="center" py="xl" data-testid="cart-empty">No open cart: nothing is waiting to be bought.</Text>;
  }
  const currency = c.currency;
  const money = (minor: number | bigint) => formatMoney(minor, currency);

  return (
    <Card withBorder padding="lg">
      <Stack>
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={4}>Open cart</Title>
            <Text size="sm" c="dimmed">What the shop keeps for {customerName}, to restore on any device until it is bought or cleared.</Text>
          </div>
          {canWrite && <Button variant="default" color="red" onClick={() => setConfirming(true)}>Clear cart</Button>}
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md" data-testid="cart-summary">
          <Field label="Last updated">
            {c.updated_at && (
              <Text size="sm">
                <time dateTime={c.updated_at}>{formatWhen(c.updated_at)}</time> · {relativeTime(c.updated_at)}
              </Text>
            )}
          </Field>
          <Field label="Started">{formatWhen(c.created_at)}</Field>
          <Field label="Currency">{currency}</Field>
        </SimpleGrid>
        <ScrollTable label="Cart lines" minWidth={520}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th ta="right">Quantity</Table.Th>
                <Table.Th ta="right">Unit price</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.lines.map((line, i) => (
                <Table.Tr key={i} data-testid="cart-line">
                  <Table.Td>
                    <Text size="sm" fw={500} style={{ overflowWrap: "anywhere" }}>{line.name}</Text>
                    {line.sku && <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>SKU {line.sku}</Text>}
                  </Table.Td>
                  <Table.Td ta="right">{line.quantity.toLocaleString()}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>{money(line.unit_price)}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>{money(lineTotal(line))}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr data-testid="cart-subtotal">
                <Table.Th scope="row">Subtotal</Table.Th>
                <Table.Td ta="right">{itemsText(c.item_count)}</Table.Td>
                <Table.Td />
                <Table.Td ta="right" fw={700} style={{ whiteSpace: "nowrap" }}>{money(cartSubtotal(c))}</Table.Td>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </ScrollTable>
      </Stack>
      <ConfirmModal opened={confirming} title={`Clear ${customerName}'s cart?`} confirm="Clear cart"
        busy={clear.isPending} onClose={() => setConfirming(false)} onConfirm={() => clear.mutate()}>
        <Text size="sm">
          The {itemsText(c.item_count)} ({money(cartSubtotal(c))}) leave the cart, on every device: the shop no longer
          restores them. This is not undone; the customer's next visit to the shop starts a new cart.
        </Text>
      </ConfirmModal>
    </Card>
  );
}
