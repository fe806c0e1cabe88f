// Abandoned carts (/app/carts, orders.read): the customers' open carts nobody touched for 24 hours,
// the longest forgotten first, or (?all=1) every open cart; each with its customer, what is in it,
// the subtotal in its currency and when it was last changed; twenty at a time with "Load more".
import { Alert, Anchor, Button, Center, Loader, SegmentedControl, Stack, Table, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router-dom";

import { Cart, Page, api, problemText } from "../api";
import { ScrollTable } from "../customers/parts";
import { formatWhen, relativeTime } from "../format";
import { formatMoney } from "../money";
import { useSession } from "../session";
import { cartsListKey } from "./CartTab";
import { cartOwner, cartSubtotal, cartsQuery, itemsText, linesSummary } from "./carts";

const pageSize = 20;

export function CartsPage() {
  const allowed = useSession().data?.user.permissions.includes("orders.read") ?? false;
  const [params, setParams] = useSearchParams();
  const abandoned = params.get("all") !== "1";
  const carts = useInfiniteQuery({
    queryKey: [...cartsListKey, abandoned ? "abandoned" : "all"],
    enabled: allowed,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api<Page<Cart>>("GET", `/api/carts?${cartsQuery(abandoned, pageSize, pageParam)}`),
    getNextPageParam: (last) => last.next_cursor,
  });

  if (!allowed) {
    return (
      <Stack maw={640}>
        <Title order={3}>Abandoned carts</Title>
        <Alert color="gray" title="Not for your role">Your role does not show carts.</Alert>
      </Stack>
    );
  }
  const rows = carts.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Stack maw={1200}>
      <div>
        <Title order={3}>Abandoned carts</Title>
        <Text size="sm" c="dimmed">
          Customers' open carts that nobody touched for 24 hours, the longest forgotten first: a reason to write to them.
          The shop keeps a cart until it is bought or cleared.
        </Text>
      </div>
      <SegmentedControl aria-label="Which carts" value={abandoned ? "abandoned" : "all"} style={{ alignSelf: "flex-start" }}
        data={[{ value: "abandoned", label: "Abandoned" }, { value: "all", label: "All open carts" }]}
        onChange={(value) => setParams(value === "all" ? { all: "1" } : {}, { replace: true })} />
      {carts.isPending ? <Center py="xl"><Loader role="status" aria-label="Loading the carts" /></Center>
        : !carts.data ? <Alert color="red" role="alert">{problemText(carts.error)}</Alert>
        : rows.length === 0 ? (
          <Text c="dimmed" ta="center" py="xl" data-testid="carts-empty">
            {abandoned ? "No abandoned carts: every open cart was touched in the last 24 hours." : "No open carts."}
          </Text>
        ) : (
          <Stack>
            <ScrollTable label={abandoned ? "Abandoned carts" : "Open carts"} minWidth={720}>
              <Table striped verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Customer</Table.Th>
                    <Table.Th>In the cart</Table.Th>
                    <Table.Th ta="right">Subtotal</Table.Th>
                    <Table.Th>Last updated</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((cart) => <CartRow key={cart.customer_id} cart={cart} />)}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            {carts.hasNextPage && (
              <Button variant="default" loading={carts.isFetchingNextPage} onClick={() => carts.fetchNextPage()}
                style={{ alignSelf: "center" }}>
                Load more
              </Button>
            )}
            {carts.error && <Alert color="red" role="alert">{problemText(carts.error)}</Alert>}
          </Stack>
        )}
    </Stack>
  );
}

function CartRow({ cart }: { cart: Cart }) {
  const name = cart.customer_name ?? null;
  return (
    <Table.Tr data-testid="cart-row">
      <Table.Td>
        <Anchor component={Link} to={`/app/customers/${cart.customer_id}?tab=cart`} size="sm" fw={500}
          style={{ overflowWrap: "anywhere" }}>
          {name ?? cartOwner(cart)}
        </Anchor>
        {name && cart.email && <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>{cart.email}</Text>}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{itemsText(cart.item_count)}</Text>
        <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>{linesSummary(cart.lines)}</Text>
      </Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>{cart.currency && formatMoney(cartSubtotal(cart), cart.currency)}</Table.Td>
      <Table.Td>
        {cart.updated_at && (
          <Stack gap={0}>
            <Text size="sm">{relativeTime(cart.updated_at)}</Text>
            <Text size="xs" c="dimmed"><time dateTime={cart.updated_at}>{formatWhen(cart.updated_at)}</time></Text>
          </Stack>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
