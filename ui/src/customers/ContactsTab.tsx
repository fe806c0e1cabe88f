// A company's Contacts tab: its contact persons (customers whose company it is), added and edited
// in a modal, archived with a confirmation; and those archived with the company, to restore.
import { Alert, Anchor, Badge, Button, Card, Center, Group, Loader, Paper, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";

import { Customer, Page, api, problemText } from "../api";
import { ContactModal } from "./ContactModal";
import { customerChanged, customerKey } from "./customerQueries";
import { ConfirmModal } from "./parts";

export const contactsKey = (companyId: number) => [...customerKey(companyId), "contacts"] as const;
export const archivedContactsKey = (companyId: number) => [...customerKey(companyId), "archived-contacts"] as const;

export function useContacts(companyId: number, enabled = true) {
  return useQuery({
    queryKey: contactsKey(companyId),
    queryFn: () => api<Page<Customer>>("GET", `/api/customers/${companyId}/contacts?limit=200&sort=name`),
    enabled,
  });
}

export function ContactsTab({ company, canWrite, canDelete }: { company: Customer; canWrite: boolean; canDelete: boolean }) {
  const client = useQueryClient();
  const archived = Boolean(company.deleted_at);
  const contacts = useContacts(company.id, !archived);
  const archivedContacts = useQuery({
    queryKey: archivedContactsKey(company.id),
    queryFn: () => api<Page<Customer>>("GET", `/api/customers?company_id=${company.id}&deleted=true&limit=200&sort=name`),
    enabled: !archived,
  });
  // The record being edited is the one read when the modal opened, so a background refetch never
  // swaps it under the user's typing; Reload takes the current one.
  const [editing, setEditing] = useState<{ contact: Customer | null } | null>(null);
  const [removing, setRemoving] = useState<Customer | null>(null);
  const narrow = useMediaQuery("(max-width: 48em)");
  const refresh = () => {
    client.invalidateQueries({ queryKey: contactsKey(company.id) });
    client.invalidateQueries({ queryKey: archivedContactsKey(company.id) });
    customerChanged(client);
  };
  const remove = useMutation({
    mutationFn: (contact: Customer) => api("DELETE", `/api/customers/${company.id}/contacts/${contact.id}`),
    onSuccess: (_, contact) => {
      setRemoving(null);
      notifications.show({ color: "teal", message: `${contact.name} archived.` });
      refresh();
    },
    onError: (failure) => notifications.show({ color: "red", title: "Not archived", message: problemText(failure) }),
  });
  const restore = useMutation({
    mutationFn: async (list: Customer[]) => {
      for (const contact of list) await api("POST", `/api/customers/${contact.id}/restore`);
      return list;
    },
    onSuccess: (list) => {
      notifications.show({ color: "teal", message: list.length === 1 ? `${list[0].name} restored.` : `${list.length} contacts restored.` });
      refresh();
    },
    onError: (failure) => { notifications.show({ color: "red", title: "Not restored", message: problemText(failure) }); refresh(); },
  });

  if (archived) {
    return <Text c="dimmed" py="md">The contacts of an archived company are shown once it is restored.</Text>;
  }
  const list = contacts.data?.data ?? [];
  const before = archivedContacts.data?.data ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {contacts.data ? (list.length === 1 ? "1 contact" : `${list.length} contacts`) : "\u00a0"}
        </Text>
        {canWrite && <Button onClick={() => setEditing({ contact: null })}>Add contact</Button>}
      </Group>
      {contacts.error && <Alert color="red">{problemText(contacts.error)}</Alert>}
      {contacts.isPending && <Center py="lg"><Loader role="status" aria-label="Loading the contacts" /></Center>}
      {contacts.data && list.length === 0 && (
        <Paper withBorder p="xl" ta="center">
          <Text fw={500}>No contacts yet</Text>
          <Text size="sm" c="dimmed">Add the people you deal with at {company.name}.</Text>
        </Paper>
      )}
      {list.length > 0 && narrow && (
        // On a phone, one card per contact: a table would hide its buttons off to the right.
        <Stack gap="xs" aria-label={`Contacts of ${company.name}`}>
          {list.map((contact) => (
            <Card key={contact.id} withBorder padding="sm" component="article" aria-label={contact.name}>
              <Anchor component={Link} to={`/app/customers/${contact.id}`} fw={500}>
                {contact.title ? `${contact.title.short_name} ` : ""}{contact.name}
              </Anchor>
              {contact.job_title && <Text size="sm" c="dimmed">{contact.job_title}</Text>}
              {contact.email && <Anchor href={`mailto:${contact.email}`} size="sm" style={{ overflowWrap: "anywhere" }}>{contact.email}</Anchor>}
              {(contact.phone || contact.mobile) && <Text size="sm">{[contact.phone, contact.mobile].filter(Boolean).join(" · ")}</Text>}
              <Group gap="xs" mt="xs">
                {canWrite && <Button size="xs" variant="light" onClick={() => setEditing({ contact })}
                  aria-label={`Edit contact ${contact.name}`}>Edit</Button>}
                {canDelete && <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(contact)}
                  aria-label={`Archive contact ${contact.name}`}>Archive</Button>}
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      {list.length > 0 && !narrow && (
        <Table.ScrollContainer minWidth={680}>
          <Table striped highlightOnHover aria-label={`Contacts of ${company.name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Job title</Table.Th>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Phone</Table.Th>
                <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((contact) => (
                <Table.Tr key={contact.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/app/customers/${contact.id}`} size="sm">
                      {contact.title ? `${contact.title.short_name} ` : ""}{contact.name}
                    </Anchor>
                    {contact.portal_access && <Badge ml={6} size="xs" color="teal" variant="light">Portal access</Badge>}
                  </Table.Td>
                  <Table.Td>{contact.job_title ?? "—"}</Table.Td>
                  <Table.Td>{contact.email ? <Anchor href={`mailto:${contact.email}`} size="sm">{contact.email}</Anchor> : "—"}</Table.Td>
                  <Table.Td>{[contact.phone, contact.mobile].filter(Boolean).join(" · ") || "—"}</Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {canWrite && (
                        <Button size="xs" variant="subtle" onClick={() => setEditing({ contact })}
                          aria-label={`Edit contact ${contact.name}`}>Edit</Button>
                      )}
                      {canDelete && (
                        <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(contact)}
                          aria-label={`Archive contact ${contact.name}`}>Archive</Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {before.length > 0 && (
        <Paper withBorder p="md" bg="gray.0">
          <Group justify="space-between" mb="xs">
            <Text size="sm" fw={500}>
              {before.length === 1 ? "1 archived contact" : `${before.length} archived contacts`} of {company.name}
            </Text>
            {canWrite && before.length > 1 && (
              <Button size="xs" variant="light" loading={restore.isPending} onClick={() => restore.mutate(before)}>
                Restore all {before.length}
              </Button>
            )}
          </Group>
          <Stack gap={4}>
            {before.map((contact) => (
              <Group key={contact.id} justify="space-between" wrap="nowrap">
                <Text size="sm" c="dimmed">{contact.name}{contact.email ? ` · ${contact.email}` : ""}</Text>
                {canWrite && (
                  <Button size="compact-xs" variant="subtle" disabled={restore.isPending}
                    onClick={() => restore.mutate([contact])} aria-label={`Restore contact ${contact.name}`}>Restore</Button>
                )}
              </Group>
            ))}
          </Stack>
        </Paper>
      )}

      <ContactModal companyId={company.id} companyName={company.name} opened={editing !== null}
        contact={editing?.contact ?? null} onClose={() => setEditing(null)}
        onSaved={(saved) => {
          notifications.show({ color: "teal", message: editing?.contact ? `${saved.name} saved.` : `${saved.name} added.` });
          setEditing(null);
          refresh();
        }}
        onReload={async () => {
          const fresh = await contacts.refetch();
          const current = fresh.data?.data.find((c) => c.id === editing?.contact?.id);
          if (current) setEditing({ contact: current });
          else notifications.show({ color: "red", message: "This contact is no longer one of the company's contacts." });
        }} />
      <ConfirmModal opened={removing !== null} title="Archive this contact?" confirm="Archive contact"
        busy={remove.isPending} onClose={() => setRemoving(null)} onConfirm={() => removing && remove.mutate(removing)}>
        <Text size="sm">
          {removing?.name} leaves the contacts of {company.name} and goes to the archive, from where it can be restored.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
