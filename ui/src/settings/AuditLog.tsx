// Settings › Audit log (owners and admins, `audit.read`): every recorded change of the workspace,
// newest first, filtered by record, actor, action and days (the address bar holds the filters),
// in keyset pages; an entry's details (its changes, request id, address, user agent) in a drawer.
import {
  Alert, Anchor, Autocomplete, Button, Code, Drawer, Group, Indicator, Select, SimpleGrid, Skeleton, Stack, Table, Text,
  TextInput, Title, VisuallyHidden,
} from "@mantine/core";
import { useDebouncedValue, useMediaQuery } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";

import { AuditEvent, Page, StaffUser, api, problemText } from "../api";
import { ChangeLines } from "../audit/Changes";
import { actionText, actions, actorKinds, actorText, changeList, entities, entityText } from "../audit/entries";
import { LogFilters, logFilterCount, logFiltersFromSearch, logFiltersToSearch, logQuery, validAction } from "../audit/logQuery";
import { DayRangeInput } from "../customers/CustomerFilters";
import { Field } from "../customers/parts";
import { formatWhen, relativeTime } from "../format";
import { useSession } from "../session";
import { KeysetPager, useKeysetPages } from "./KeysetPager";

/** A text filter typed into a box: sent once typing stops and the text is one the server takes. */
function useTypedFilter(value: string, valid: (text: string) => boolean, onSettled: (text: string) => void) {
  const [text, setText] = useState(value);
  const [settled] = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if (settled !== value && (settled === "" || valid(settled))) onSettled(settled);
  }, [settled]);
  useEffect(() => {
    if (value !== text.trim()) setText(value);  // Back, a bookmark, Clear filters
  }, [value]);
  const error = text.trim() !== "" && !valid(text.trim());
  return { text, setText, error };
}

function Filters({ filters, onChange, stacked }: {
  filters: LogFilters;
  onChange: (next: LogFilters) => void;
  /** One below the other (a phone's drawer) rather than side by side. */
  stacked: boolean;
}) {
  const me = useSession().data?.user;
  const set = (patch: Partial<LogFilters>) => onChange({ ...filters, ...patch });
  const users = useQuery({
    queryKey: ["users"], enabled: me?.permissions.includes("users.read") ?? false,
    queryFn: () => api<Page<StaffUser>>("GET", "/api/users?limit=200"),
  });
  const actorOptions = [
    { group: "Any of a kind", items: actorKinds.map((k) => ({ value: k.value, label: k.label })) },
    {
      group: "People",
      items: (users.data?.data ?? []).map((u) => ({ value: `user:${u.id}`, label: `${u.name || u.email} (user)` })),
    },
  ];
  const entityId = useTypedFilter(filters.entityId === null ? "" : String(filters.entityId),
    (text) => /^[1-9]\d{0,17}$/.test(text), (text) => set({ entityId: text ? Number(text) : null }));
  const action = useTypedFilter(filters.action ?? "", validAction, (text) => set({ action: text || null }));

  return (
    <SimpleGrid cols={stacked ? 1 : { base: 2, md: 3, lg: 5 }} spacing="sm" verticalSpacing="xs">
      <Select label="Record" placeholder="Any kind of record" clearable data={entities} value={filters.entity}
        onChange={(entity) => set({ entity })} />
      <TextInput label="Record id" placeholder="Any" inputMode="numeric" value={entityId.text}
        error={entityId.error && "A record's number, such as 12"} onChange={(e) => entityId.setText(e.currentTarget.value)} />
      <Select label="Actor" placeholder="Anyone" clearable searchable data={actorOptions} value={filters.actor}
        onChange={(actor) => set({ actor })} />
      <Autocomplete label="Action" placeholder="Any action" data={actions} value={action.text} limit={12}
        error={action.error && "An action such as customer.updated, or customer.*"}
        onChange={action.setText} />
      <DayRangeInput label="Days" from={filters.from} to={filters.to} onChange={(from, to) => set({ from, to })} />
    </SimpleGrid>
  );
}

function RecordText({ entry }: { entry: AuditEvent }) {
  const name = `${entityText(entry.entity)}${entry.entity_id ? ` #${entry.entity_id}` : ""}`;
  if (entry.entity === "customer" && entry.entity_id) {
    return <Anchor component={Link} to={`/app/customers/${entry.entity_id}`} size="sm" underline="always">{name}</Anchor>;
  }
  return <Text size="sm" span>{name}</Text>;
}

/** The changed fields' names, the first few. */
function changedFields(entry: AuditEvent): string {
  const labels = changeList(entry.changes).map((c) => c.label);
  if (labels.length <= 3) return labels.join(", ");
  return `${labels.slice(0, 3).join(", ")} and ${labels.length - 3} more`;
}

function When({ at }: { at: string }) {
  return (
    <Stack gap={0}>
      <Text size="sm" span><time dateTime={at}>{formatWhen(at)}</time></Text>
      <Text size="xs" c="dimmed" span>{relativeTime(at)}</Text>
    </Stack>
  );
}

function EntryDetails({ entry }: { entry: AuditEvent }) {
  const changes = changeList(entry.changes);
  return (
    <Stack gap="md">
      <Field label="What">
        <Group gap="xs"><Text size="sm">{actionText(entry.action)}</Text><Code>{entry.action}</Code></Group>
      </Field>
      <Field label="Record"><RecordText entry={entry} /></Field>
      <Field label="Who">{actorText(entry.actor)}</Field>
      <Field label="When"><When at={entry.at} /></Field>
      <Field label="Changes">
        {changes.length > 0 ? <ChangeLines changes={changes} /> : <Text size="sm" c="dimmed">No field changed.</Text>}
      </Field>
      <Field label="Request id">{entry.request_id && <Code>{entry.request_id}</Code>}</Field>
      <Field label="Address">{entry.address}</Field>
      <Field label="User agent">{entry.user_agent}</Field>
    </Stack>
  );
}

export function AuditLogPage() {
  const me = useSession().data?.user;
  const allowed = me?.permissions.includes("audit.read") ?? false;
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => logFiltersFromSearch(params), [params]);
  const search = logFiltersToSearch(filters).toString();
  const pages = useKeysetPages(search);
  const query = logQuery(filters, pages.cursor).toString();
  const page = useQuery({
    queryKey: ["audit-events", query], enabled: allowed, placeholderData: keepPreviousData,
    queryFn: () => api<Page<AuditEvent>>("GET", `/api/audit-events?${query}`),
  });
  const [open, setOpen] = useState<AuditEvent | null>(null);
  const [filtering, setFiltering] = useState(false);
  const narrow = useMediaQuery("(max-width: 48em)") ?? false;
  const rows = page.data?.data ?? [];
  const filtered = logFilterCount(filters) > 0;

  if (!allowed) {
    return (
      <Stack>
        <Title order={3}>Audit log</Title>
        <Alert color="gray" title="Not for your role">The workspace's owners and admins see its audit log.</Alert>
      </Stack>
    );
  }
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3}>Audit log</Title>
          <Text size="sm" c="dimmed">Every change in this workspace: who made it, when, and what changed. Entries are never edited.</Text>
        </div>
        <Group gap="xs">
          {/* On a phone the filters wait in a drawer, as the customer list's do. */}
          {narrow && (
            <Indicator label={logFilterCount(filters)} size={18} disabled={!filtered} offset={4}>
              <Button variant="default" onClick={() => setFiltering(true)}>Filters</Button>
            </Indicator>
          )}
          <Button variant="subtle" disabled={!filtered} onClick={() => setParams({})}>Clear filters</Button>
        </Group>
      </Group>
      {!narrow && <Filters filters={filters} onChange={(next) => setParams(logFiltersToSearch(next))} stacked={false} />}
      <Drawer opened={narrow && filtering} onClose={() => setFiltering(false)} title="Filters" position="right" size="100%">
        <Stack>
          <Filters filters={filters} onChange={(next) => setParams(logFiltersToSearch(next))} stacked />
          <Button onClick={() => setFiltering(false)} fullWidth>Show entries</Button>
        </Stack>
      </Drawer>
      {page.error && <Alert color="red" role="alert">{problemText(page.error)}</Alert>}

      <div aria-busy={page.isFetching} data-testid="audit-results">
        {page.isPending ? (
          <Stack gap="xs" aria-label="Loading the audit log">
            {Array.from({ length: 6 }, (_, i) => <Skeleton key={i} height={40} radius="sm" />)}
          </Stack>
        ) : rows.length === 0 ? (
          <Text c="dimmed" ta="center" py="xl">{filtered ? "No entry matches these filters." : "Nothing recorded yet."}</Text>
        ) : (
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                {!narrow && <Table.Th>Who</Table.Th>}
                <Table.Th>What</Table.Th>
                {!narrow && <Table.Th>Changes</Table.Th>}
                <Table.Th><VisuallyHidden>Details</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((entry) => (
                <Table.Tr key={entry.id} data-testid="audit-entry" data-entry={entry.id}>
                  <Table.Td>
                    <When at={entry.at} />
                    {narrow && <Text size="xs" mt={4}>{actorText(entry.actor)}</Text>}
                  </Table.Td>
                  {!narrow && <Table.Td><Text size="sm">{actorText(entry.actor)}</Text></Table.Td>}
                  <Table.Td>
                    <Text size="sm" fw={500}>{actionText(entry.action)}</Text>
                    <RecordText entry={entry} />
                  </Table.Td>
                  {!narrow && <Table.Td><Text size="sm">{changedFields(entry)}</Text></Table.Td>}
                  <Table.Td w={1}>
                    <Button size="compact-sm" variant="subtle" onClick={() => setOpen(entry)}>Details</Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
      {!(rows.length === 0 && pages.number === 1) && (
        <KeysetPager pages={pages} nextCursor={page.data?.next_cursor} busy={page.isPlaceholderData} />
      )}

      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size={narrow ? "100%" : "md"}
        title={open ? `${entityText(open.entity)}${open.entity_id ? ` #${open.entity_id}` : ""}: ${actionText(open.action)}` : ""}>
        {open && <EntryDetails entry={open} />}
      </Drawer>
    </Stack>
  );
}
