// A customer's Loyalty tab: the balance, tier and next expiry, and the ledger newest first (each
// entry's kind, points, balance after, order, reason, who, expiry and debt), twenty at a time with
// "Load more". Those with loyalty.adjust may adjust the balance (points ±, a reason) and redeem
// points, each in a dialog.
import {
  Alert, Anchor, Badge, Button, Card, Center, Group, Loader, Modal, SimpleGrid, Stack, Table, Text, TextInput,
  Textarea, Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";

import { ApiError, LoyaltyAccount, LoyaltyEntry, LoyaltyProgram, api, problemFields, problemText } from "../api";
import { useFilterLists } from "../customers/CustomerFilters";
import { customerChanged, customerKey } from "../customers/customerQueries";
import { Field, ScrollTable } from "../customers/parts";
import { formatDay, formatWhen } from "../format";
import { useSession } from "../session";
import { adjustRequest, entryAuthor, kindOf, redeemRequest, signedPoints } from "./loyalty";

const pageSize = 20;

//! 128 random bits in hex (crypto.randomUUID needs a secure context; an intranet's http:// is not).
function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const loyaltyKey = (customerId: number) => [...customerKey(customerId), "loyalty"] as const;
export const programKey = ["loyalty-program"] as const;

export function useLoyaltyProgram(enabled = true) {
  return useQuery({
    queryKey: programKey, enabled, staleTime: 60_000,
    queryFn: () => api<LoyaltyProgram>("GET", "/api/loyalty/program"),
  });
}

export function LoyaltyTab({ customerId, customerName, archived }: { customerId: number; customerName: string; archived: boolean }) {
  const me = useSession().data?.user;
  const canAdjust = me?.permissions.includes("loyalty.adjust") ?? false;
  // Who booked an entry, by name: the workspace's people for those who may list them, else oneself.
  const people = useFilterLists(me).people;
  const names = new Map(people.map((p) => [p.id, p.name || p.email]));
  const [dialog, setDialog] = useState<"adjust" | "redeem" | null>(null);
  const ledger = useInfiniteQuery({
    queryKey: loyaltyKey(customerId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(pageSize) });
      if (pageParam) params.set("cursor", pageParam);
      return api<LoyaltyAccount>("GET", `/api/customers/${customerId}/loyalty?${params}`);
    },
    getNextPageParam: (last) => last.next_cursor,
  });
  const program = useLoyaltyProgram(canAdjust);

  if (ledger.isPending) return <Center py="xl"><Loader role="status" aria-label="Loading the points" /></Center>;
  if (!ledger.data) return <Alert color="red" role="alert">{problemText(ledger.error)}</Alert>;
  // The first page has the balance as it is now: later pages come from older entries only.
  const account = ledger.data.pages[0];
  const entries = ledger.data.pages.flatMap((page) => page.entries);

  return (
    <Stack>
      <Card withBorder padding="lg">
        <Group justify="space-between" align="flex-start">
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xl" style={{ flex: 1 }}>
            <Field label="Balance">
              <Text fz={28} fw={700} c={account.balance < 0 ? "red.9" : undefined} data-testid="loyalty-balance">
                {account.balance.toLocaleString()}
              </Text>
            </Field>
            <Field label="Tier">{account.tier && <Badge variant="light" color="grape" tt="none" size="lg">{account.tier}</Badge>}</Field>
            <Field label="Next expiry">
              {account.next_expiry && `${account.next_expiry.points.toLocaleString()} points on ${formatWhen(account.next_expiry.at)}`}
            </Field>
          </SimpleGrid>
          {canAdjust && !archived && (
            <Group gap="xs">
              <Button variant="default" onClick={() => setDialog("adjust")}>Adjust points</Button>
              <Button onClick={() => setDialog("redeem")} disabled={account.balance <= 0}>Redeem points</Button>
            </Group>
          )}
        </Group>
      </Card>

      <Card withBorder padding="lg">
        <Title order={4} mb="md">History</Title>
        {entries.length === 0 ? <Text size="sm" c="dimmed">No points yet.</Text> : (
          <Stack>
            <ScrollTable label="Points history" minWidth={720}>
              <Table striped verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th ta="right">Points</Table.Th>
                    <Table.Th ta="right">Balance</Table.Th>
                    <Table.Th>Details</Table.Th>
                    <Table.Th>By</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {entries.map((entry) => <EntryRow key={entry.id} entry={entry} names={names} />)}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            {ledger.hasNextPage && (
              <Button variant="default" loading={ledger.isFetchingNextPage} onClick={() => ledger.fetchNextPage()}
                style={{ alignSelf: "center" }}>
                Load more
              </Button>
            )}
            {ledger.error && <Alert color="red" role="alert">{problemText(ledger.error)}</Alert>}
          </Stack>
        )}
      </Card>

      <PointsDialog kind={dialog} customerId={customerId} customerName={customerName} balance={account.balance}
        minRedeem={program.data?.min_redeem ?? 0} onClose={() => setDialog(null)} />
    </Stack>
  );
}

function EntryRow({ entry, names }: { entry: LoyaltyEntry; names: ReadonlyMap<number, string> }) {
  const { label, color } = kindOf(entry.kind);
  return (
    <Table.Tr data-testid="loyalty-entry">
      <Table.Td style={{ whiteSpace: "nowrap" }}><Text size="sm"><time dateTime={entry.created_at}>{formatWhen(entry.created_at)}</time></Text></Table.Td>
      <Table.Td><Badge color={color} variant="light" tt="none">{label}</Badge></Table.Td>
      <Table.Td ta="right" fw={600} c={entry.points < 0 ? "red.9" : "teal.9"}>{signedPoints(entry.points)}</Table.Td>
      <Table.Td ta="right">{entry.balance_after.toLocaleString()}</Table.Td>
      <Table.Td>
        <Stack gap={2}>
          {entry.order_id !== null && (
            <Anchor component={Link} to={`/app/orders/${entry.order_id}`} size="sm">Order #{entry.order_id}</Anchor>
          )}
          {entry.reason && <Text size="sm" style={{ overflowWrap: "anywhere" }}>{entry.reason}</Text>}
          {entry.expires_at && <Text size="xs">Expires {formatDay(entry.expires_at.slice(0, 10))}</Text>}
          {entry.debt > 0 && <Text size="xs" c="red.9">Debt {entry.debt.toLocaleString()} points (spent before)</Text>}
        </Stack>
      </Table.Td>
      <Table.Td><Text size="sm">{entryAuthor(entry, names)}</Text></Table.Td>
    </Table.Tr>
  );
}

/** The adjust or redeem dialog (its form unmounts on close, so each opening starts empty). */
function PointsDialog({ kind, onClose, ...props }: {
  kind: "adjust" | "redeem" | null;
  customerId: number;
  customerName: string;
  balance: number;
  minRedeem: number;
  onClose: () => void;
}) {
  return (
    <Modal opened={kind !== null} onClose={onClose}
      title={kind === "redeem" ? `Redeem ${props.customerName}'s points` : `Adjust ${props.customerName}'s points`}>
      {kind && <PointsForm key={kind} kind={kind} onClose={onClose} {...props} />}
    </Modal>
  );
}

function PointsForm({ kind, customerId, balance, minRedeem, onClose }: {
  kind: "adjust" | "redeem";
  customerId: number;
  balance: number;
  minRedeem: number;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<{ points?: string; reason?: string }>({});
  const [problem, setProblem] = useState<string | null>(null);
  // One key per dialog: a retried click after a lost answer redeems once.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: (body: object) => api<{ entry: LoyaltyEntry; balance: number }>(
      "POST", `/api/customers/${customerId}/loyalty/${kind}`, body,
      kind === "redeem" ? { headers: { "Idempotency-Key": idempotencyKey } } : {}),
    onSuccess: (answer) => {
      client.invalidateQueries({ queryKey: loyaltyKey(customerId) });
      client.invalidateQueries({ queryKey: customerKey(customerId), exact: true });
      customerChanged(client);
      notifications.show({
        color: "teal",
        message: `${signedPoints(answer.entry.points)} points ${kind === "redeem" ? "redeemed" : "adjusted"}; the balance is ${answer.balance.toLocaleString()}.`,
      });
      onClose();
    },
    onError: (failure) => {
      const { points, reason, ...other } = problemFields(failure);
      setErrors({ points, reason });
      setProblem(points || reason ? Object.values(other)[0] ?? null : problemText(failure));
      // Refused for the balance: it changed meanwhile, so show the one there is now.
      if (failure instanceof ApiError && failure.status === 409) {
        client.invalidateQueries({ queryKey: loyaltyKey(customerId) });
      }
    },
  });
  const submit = () => {
    setProblem(null);
    const request = kind === "redeem" ? redeemRequest(points, reason, balance, minRedeem) : adjustRequest(points, reason);
    if ("errors" in request) { setErrors(request.errors); return; }
    setErrors({});
    save.mutate(request.body);
  };

  return (
    <form noValidate onSubmit={(event) => { event.preventDefault(); submit(); }}>
      <Stack gap="sm">
        <Text size="sm">Balance now: <b>{balance.toLocaleString()}</b> points.</Text>
        <TextInput label="Points" required data-autofocus inputMode="numeric" value={points} error={errors.points}
          description={kind === "adjust" ? "Positive to add, negative (such as -50) to take away" : undefined}
          onChange={(e) => setPoints(e.currentTarget.value)} />
        <Textarea label="Reason" required={kind === "adjust"} autosize minRows={2} maxRows={5} maxLength={500}
          value={reason} error={errors.reason}
          description={kind === "redeem" ? "Optional: what the points paid for" : "Kept in the ledger"}
          onChange={(e) => setReason(e.currentTarget.value)} />
        {problem && <Alert color="red" role="alert" title="Nothing was changed">{problem}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button type="submit" loading={save.isPending}>{kind === "redeem" ? "Redeem" : "Adjust"}</Button>
        </Group>
      </Stack>
    </form>
  );
}
