// A customer's Addresses tab: its typed addresses as cards, with the type and the default invoice
// and delivery marks; added and edited in a modal, deleted after a confirmation.
import { Alert, Anchor, Badge, Button, Card, Center, Group, Loader, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { CustomerAddress, Page, api, problemText } from "../api";
import { AddressModal } from "./AddressModal";
import { addressTypeLabel, postalLines } from "./addressForm";
import { customerKey } from "./customerQueries";
import { usePlaceNames } from "./lists";
import { ConfirmModal } from "./parts";

export const addressesKey = (customerId: number) => [...customerKey(customerId), "addresses"] as const;

const typeColors: Record<CustomerAddress["type"], string> = {
  permanent: "indigo", present: "cyan", invoice: "grape", delivery: "orange", other: "gray",
};

function AddressCard({ address, canWrite, onEdit, onDelete }: {
  address: CustomerAddress;
  canWrite: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const places = usePlaceNames(address.country);
  const lines = postalLines(address, places.countryName, places.stateName);
  const label = addressTypeLabel(address.type);
  return (
    <Card withBorder padding="md" data-testid="address-card" aria-label={`${label} address`} component="article">
      <Group gap={6} mb="xs">
        <Badge color={typeColors[address.type]} variant="light">{label}</Badge>
        {address.is_default_invoice && <Badge color="teal" variant="filled">Default invoice</Badge>}
        {address.is_default_delivery && <Badge color="teal" variant="filled">Default delivery</Badge>}
      </Group>
      <Stack gap={2} style={{ flex: 1 }}>
        {address.full_name && <Text fw={500} size="sm">{address.full_name}</Text>}
        {lines.length ? lines.map((line, i) => <Text size="sm" key={i}>{line}</Text>)
          : <Text size="sm" c="dimmed">No postal address given</Text>}
        {address.email && <Anchor size="sm" href={`mailto:${address.email}`} style={{ overflowWrap: "anywhere" }}>{address.email}</Anchor>}
        {(address.phone || address.mobile) && (
          <Text size="sm" c="dimmed">{[address.phone, address.mobile].filter(Boolean).join(" · ")}</Text>
        )}
      </Stack>
      {canWrite && (
        <Group gap="xs" mt="md">
          <Button size="xs" variant="light" onClick={onEdit} aria-label={`Edit the ${label.toLowerCase()} address`}>Edit</Button>
          <Button size="xs" variant="subtle" color="red" onClick={onDelete}
            aria-label={`Delete the ${label.toLowerCase()} address`}>Delete</Button>
        </Group>
      )}
    </Card>
  );
}

export function AddressesTab({ customerId, archived, canWrite }: { customerId: number; archived: boolean; canWrite: boolean }) {
  const client = useQueryClient();
  const addresses = useQuery({
    queryKey: addressesKey(customerId),
    queryFn: () => api<Page<CustomerAddress>>("GET", `/api/customers/${customerId}/addresses`),
    enabled: !archived,
  });
  const [editing, setEditing] = useState<{ address: CustomerAddress | null } | null>(null);
  const [deleting, setDeleting] = useState<CustomerAddress | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: addressesKey(customerId) });
  const remove = useMutation({
    mutationFn: (address: CustomerAddress) => api("DELETE", `/api/customers/${customerId}/addresses/${address.id}`),
    onSuccess: () => { setDeleting(null); notifications.show({ color: "teal", message: "Address deleted." }); refresh(); },
    onError: (failure) => notifications.show({ color: "red", title: "Not deleted", message: problemText(failure) }),
  });

  if (archived) {
    return <Text c="dimmed" py="md">The addresses of an archived customer are shown once it is restored.</Text>;
  }
  const list = addresses.data?.data ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {addresses.data ? (list.length === 1 ? "1 address" : `${list.length} addresses`) : "\u00a0"}
        </Text>
        {canWrite && <Button onClick={() => setEditing({ address: null })}>Add address</Button>}
      </Group>
      {addresses.error && <Alert color="red">{problemText(addresses.error)}</Alert>}
      {addresses.isPending && <Center py="lg"><Loader role="status" aria-label="Loading the addresses" /></Center>}
      {addresses.data && list.length === 0 && (
        <Paper withBorder p="xl" ta="center">
          <Text fw={500}>No addresses yet</Text>
          <Text size="sm" c="dimmed">Add where invoices and deliveries go, and any other address to keep.</Text>
        </Paper>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {list.map((address) => (
          <AddressCard key={address.id} address={address} canWrite={canWrite}
            onEdit={() => setEditing({ address })} onDelete={() => setDeleting(address)} />
        ))}
      </SimpleGrid>

      <AddressModal customerId={customerId} opened={editing !== null} address={editing?.address ?? null} all={list}
        onClose={() => setEditing(null)}
        onSaved={() => {
          notifications.show({ color: "teal", message: editing?.address ? "Address saved." : "Address added." });
          setEditing(null);
          refresh();
        }}
        onReload={async () => {
          const fresh = await addresses.refetch();
          const current = fresh.data?.data.find((a) => a.id === editing?.address?.id);
          if (current) setEditing({ address: current });
          else notifications.show({ color: "red", message: "This address has been deleted meanwhile." });
        }} />
      <ConfirmModal opened={deleting !== null} title="Delete this address?" confirm="Delete address"
        busy={remove.isPending} onClose={() => setDeleting(null)} onConfirm={() => deleting && remove.mutate(deleting)}>
        <Text size="sm">
          The {deleting ? addressTypeLabel(deleting.type).toLowerCase() : ""} address
          {deleting?.full_name ? ` of ${deleting.full_name}` : ""} is deleted for good.
          {deleting?.is_default_invoice || deleting?.is_default_delivery
            ? " It is a default address: the oldest other address of its kind becomes the default." : ""}
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
