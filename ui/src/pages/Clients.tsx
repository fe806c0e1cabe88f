// Client Management (seed 001), for the platform operator: the client accounts, their status, new
// clients with generated credentials shown once, password resets and the CSV export.
import {
  Alert, Badge, Button, Code, CopyButton, Group, Modal, SegmentedControl, Select, Stack, Switch, Table, Text,
  TextInput, Textarea, Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { ApiError, Client, Credentials, Page, api, problemText } from "../api";

const businessTypes = ["retail", "wholesale", "restaurant", "hotel", "services", "other"];
const fields = [
  ["company_name", "Company name"],
  ["contact_email", "Contact e-mail"],
  ["contact_person_name", "Contact person"],
  ["phone_number", "Phone number"],
  ["whatsapp_number", "WhatsApp number"],
  ["gst_number", "GST number"],
] as const;

function CredentialsPanel({ company, credentials }: { company: string; credentials: Credentials }) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" title="Shown once">
        Copy these now: the password is not stored anywhere in readable form.
      </Alert>
      <Text size="sm">Credentials for {company}</Text>
      {(["username", "password"] as const).map((key) => (
        <Group key={key} justify="space-between" wrap="nowrap">
          <Text size="sm" w={80}>{key === "username" ? "Username" : "Password"}</Text>
          <Code data-testid={`credentials-${key}`} style={{ flex: 1 }}>{credentials[key]}</Code>
          {/* the password is null only in a replay of the create, which this page never sends */}
          <CopyButton value={credentials[key] ?? ""}>
            {({ copied, copy }) => <Button size="xs" variant="light" onClick={copy}>{copied ? "Copied" : "Copy"}</Button>}
          </CopyButton>
        </Group>
      ))}
      <Textarea label="Message to send" value={credentials.message} readOnly autosize minRows={6} />
      <CopyButton value={credentials.message}>
        {({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? "Message copied" : "Copy message"}</Button>}
      </CopyButton>
    </Stack>
  );
}

function NewClientForm({ onCreated }: { onCreated: (company: string, credentials: Credentials) => void }) {
  const [values, setValues] = useState<Record<string, string>>({ business_type: "retail" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => {
      const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ""));
      return api<{ company_name: string; credentials: Credentials }>("POST", "/api/clients", body);
    },
    onSuccess: (client) => onCreated(client.company_name, client.credentials),
    onError: (failure) => {
      if (failure instanceof ApiError && failure.errors.length) {
        setErrors(Object.fromEntries(failure.errors.map((e) => [e.field, e.message])));
        setError(null);
      } else {
        setError(problemText(failure));
      }
    },
  });
  const set = (name: string, value: string) => setValues({ ...values, [name]: value });
  return (
    <form onSubmit={(e) => { e.preventDefault(); setErrors({}); create.mutate(); }}>
      <Stack gap="sm">
        {fields.map(([name, label]) => (
          <TextInput key={name} label={label} required={name === "company_name" || name === "contact_email"}
            value={values[name] ?? ""} error={errors[name] && `${label} ${errors[name]}`}
            onChange={(e) => set(name, e.currentTarget.value)} />
        ))}
        <Textarea label="Business address" value={values.business_address ?? ""}
          error={errors.business_address} onChange={(e) => set("business_address", e.currentTarget.value)} />
        <Select label="Business type" data={businessTypes} value={values.business_type}
          error={errors.business_type} onChange={(v) => set("business_type", v ?? "")} allowDeselect={false} />
        {error && <Alert color="red">{error}</Alert>}
        <Button type="submit" loading={create.isPending}>Create client</Button>
      </Stack>
    </form>
  );
}

export function ClientsPage() {
  const client = useQueryClient();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const [status, setStatus] = useState("all");
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ company: string; credentials: Credentials } | null>(null);
  const [resetting, setResetting] = useState<Client | null>(null);
  const params = new URLSearchParams({ limit: "50" });
  if (q) params.set("q", q);
  if (status !== "all") params.set("is_active", String(status === "active"));
  const page = useQuery({
    queryKey: ["clients", q, status],
    queryFn: () => api<Page<Client>>("GET", `/api/clients?${params}`),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["clients"] });
  const toggle = useMutation({
    mutationFn: (c: Client) => api("POST", `/api/clients/${c.id}/toggle-status`),
    onSuccess: refresh,
    onError: (failure) => notifications.show({ color: "red", message: problemText(failure) }),
  });
  const reset = useMutation({
    mutationFn: (c: Client) => api<{ company_name: string; credentials: Credentials }>("POST", `/api/clients/${c.id}/reset-password`),
    onSuccess: (answer) => { setResetting(null); setShown({ company: answer.company_name, credentials: answer.credentials }); },
    onError: (failure) => notifications.show({ color: "red", message: problemText(failure) }),
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>Client Management</Title>
        <Group>
          <Button variant="default" component="a" href="/api/clients/export">Export CSV</Button>
          <Button onClick={() => setCreating(true)}>New client</Button>
        </Group>
      </Group>
      <Group grow>
        <TextInput placeholder="Search by company, username or e-mail" aria-label="Search clients" value={search}
          onChange={(e) => setSearch(e.currentTarget.value)} />
        <SegmentedControl value={status} onChange={setStatus}
          data={[{ value: "all", label: "All" }, { value: "active", label: "Active" }, { value: "inactive", label: "Inactive" }]} />
      </Group>
      {page.error && <Alert color="red">{problemText(page.error)}</Alert>}
      <Table.ScrollContainer minWidth={720}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Company</Table.Th>
              <Table.Th>Username</Table.Th>
              <Table.Th>Contact</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Last login</Table.Th>
              <Table.Th>Active</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.data?.data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.company_name}</Table.Td>
                <Table.Td><Code>{c.username}</Code></Table.Td>
                <Table.Td>{c.contact_person_name ?? c.contact_email}</Table.Td>
                <Table.Td>{c.business_type ? <Badge variant="light">{c.business_type}</Badge> : "—"}</Table.Td>
                <Table.Td>{c.last_login ? new Date(c.last_login).toLocaleString() : "Never"}</Table.Td>
                <Table.Td>
                  <Switch checked={c.is_active} aria-label={`${c.company_name} active`}
                    onChange={() => toggle.mutate(c)} />
                </Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" onClick={() => setResetting(c)}>Reset password</Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {page.data && page.data.data.length === 0 && (
        <Text c="dimmed" ta="center" py="xl">{q || status !== "all" ? "No client matches." : "No clients yet."}</Text>
      )}

      <Modal opened={creating} onClose={() => setCreating(false)} title="New client">
        <NewClientForm onCreated={(company, credentials) => { setCreating(false); setShown({ company, credentials }); refresh(); }} />
      </Modal>
      <Modal opened={shown !== null} onClose={() => setShown(null)} title="Client credentials">
        {shown && <CredentialsPanel company={shown.company} credentials={shown.credentials} />}
      </Modal>
      <Modal opened={resetting !== null} onClose={() => setResetting(null)} title="Reset password">
        <Stack>
          <Text size="sm">
            {resetting?.company_name} gets a new password, and every session of its workspace ends. Continue?
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setResetting(null)}>Cancel</Button>
            <Button color="red" loading={reset.isPending} onClick={() => resetting && reset.mutate(resetting)}>
              Reset password
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
