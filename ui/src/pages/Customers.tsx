// The customer list: search as you type, keyset pages, the type, company, tags and portal badge.
import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { Customer, Page, api } from "../api";
import { problemText } from "./Login";

export function CustomersPage() {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const [cursors, setCursors] = useState<string[]>([]);  // the cursors of the pages before this one
  const cursor = cursors[cursors.length - 1];
  const params = new URLSearchParams({ limit: "25", sort: "name" });
  if (q) params.set("q", q);
  if (cursor) params.set("cursor", cursor);
  const page = useQuery({
    queryKey: ["customers", q, cursor],
    queryFn: () => api<Page<Customer>>("GET", `/api/customers?${params}`),
  });

  return (
    <Stack>
      <Title order={3}>Customers</Title>
      <TextInput placeholder="Search by name, e-mail or phone" value={search} aria-label="Search customers"
        onChange={(e) => { setSearch(e.currentTarget.value); setCursors([]); }} />
      {page.error && <Alert color="red">{problemText(page.error)}</Alert>}
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Company</Table.Th>
              <Table.Th>City</Table.Th>
              <Table.Th>Tags</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.data?.data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm">{c.name}</Text>
                    {c.account_type === "company" && <Badge size="xs" variant="light">Company</Badge>}
                    {c.portal_access && <Badge size="xs" color="teal" variant="light">Portal access</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>{c.email ?? "—"}</Table.Td>
                <Table.Td>{c.company?.name ?? "—"}</Table.Td>
                <Table.Td>{c.address.city ?? "—"}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {c.tags.map((t) => (
                      <Badge key={t.id} size="sm" color={t.color} variant="filled">{t.name}</Badge>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {page.data && page.data.data.length === 0 && (
        <Text c="dimmed" ta="center" py="xl">{q ? `No customer matches “${q}”.` : "No customers yet."}</Text>
      )}
      <Group justify="space-between">
        <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous
        </Button>
        <Button variant="default" disabled={!page.data?.next_cursor}
          onClick={() => page.data?.next_cursor && setCursors([...cursors, page.data.next_cursor])}>
          Next
        </Button>
      </Group>
    </Stack>
  );
}
