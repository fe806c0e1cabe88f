// A customer's value figures, kept by the server with each order: how many orders count, what they
// came to net of refunds, the average order, the first and last order, and what was refunded; in
// the workspace's base currency.
import { Card, SimpleGrid, Title } from "@mantine/core";

import { Customer } from "../api";
import { formatDate } from "../format";
import { formatMoney } from "../money";
import { useBaseCurrency } from "../settings/workspaceSettings";
import { Field } from "./parts";

export function ValueCard({ customer: c }: { customer: Customer }) {
  const base = useBaseCurrency();
  const money = (minor: number) => (base ? formatMoney(minor, base) : null);
  return (
    <Card withBorder padding="lg" data-testid="customer-value">
      <Title order={4} mb="md">Customer value</Title>
      <SimpleGrid cols={2} spacing="md" verticalSpacing="md">
        <Field label="Orders">{c.order_count.toLocaleString()}</Field>
        <Field label="Lifetime value">{money(c.lifetime_value)}</Field>
        <Field label="Average order">{c.order_count > 0 ? money(c.average_order_value) : null}</Field>
        <Field label="Refunded">{c.refunded_amount > 0 ? money(c.refunded_amount) : null}</Field>
        <Field label="First order">{formatDate(c.first_order_at)}</Field>
        <Field label="Last order">{formatDate(c.last_order_at)}</Field>
      </SimpleGrid>
    </Card>
  );
}
