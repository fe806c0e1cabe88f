// The customer list: presets (All / Individuals / Companies / Archived) with their counts, search
// as you type, filters shown as chips, table or card view, keyset pages with a page size, row
// selection for archiving and restoring, and an export of what the list shows. The address bar
// holds the filters (bookmarkable, Back works); the cursors of the pages before this one ride in
// the history entry's state.
import {
  Alert, Badge, Button, Group, Indicator, Paper, Progress, SegmentedControl, Select, Stack, Tabs, Text, TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue, useLocalStorage, useMediaQuery } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router-dom";

import { Customer, Page, api, problemText } from "../api";
import { ArchiveDialog } from "../customers/ArchiveDialog";
import { countText, forEach, restoreFailureText } from "../customers/bulk";
import { FilterChips, FilterDrawer, useFilterLists } from "../customers/CustomerFilters";
import { ExportButton, ExportProgress } from "../customers/exports";
import { CustomerCards, CustomerTable, ListSkeleton, Selection } from "../customers/CustomerViews";
import {
  Group as CountGroup, ListFilters, PageSize, Preset, Sort, activeFilters, filtersFromSearch, filtersToSearch,
  groupQuery, listQuery, pageSizes, presetCounts, sorts, withoutFilter,
} from "../customers/listQuery";
import { useSession } from "../session";

type View = "table" | "cards";

/** "26–50 of 213", or "7 of 7" for a page of one. */
function rangeText(first: number, shown: number, total: number) {
  return shown === 1 ? `${first} of ${total}` : `${first}–${first + shown - 1} of ${total}`;
}

const presetLabels: Record<Preset, string> = {
  all: "All", individuals: "Individuals", companies: "Companies", archived: "Archived",
};

/** The list's filters from the address bar, and the cursor stack from the history entry. */
function useListAddress() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const state = location.state as { cursors?: unknown } | null;
  const cursors = Array.isArray(state?.cursors) && state.cursors.every((c) => typeof c === "string")
    ? (state.cursors as string[]) : [];
  return {
    filters,
    cursors,
    /** New filters start at the first page. Typing replaces the history entry; choices push one. */
    setFilters: (next: ListFilters, replace = false) => setParams(filtersToSearch(next), { replace }),
    setCursors: (next: string[]) => setParams(params, { state: { cursors: next } }),
  };
}

/** The search box: what is typed goes to the address bar a moment after typing stops; the box
 *  follows the address bar when it changes otherwise (Back, a chip, a bookmark). */
function useSearchBox(q: string, onSearch: (q: string) => void) {
  const [text, setText] = useState(q);
  const [settled] = useDebouncedValue(text.trim(), 250);
  const sent = useRef(q);
  // Each effect watches one side only: the settled text goes out, a changed address comes in
  // (but not the echo of what was just sent, which would undo a keystroke typed meanwhile).
  useEffect(() => {
    if (settled !== q) {
      sent.current = settled;
      onSearch(settled);
    }
  }, [settled]);
  useEffect(() => {
    if (q !== sent.current && q !== text.trim()) setText(q);
    sent.current = q;
  }, [q]);
  return [text, setText] as const;
}

export function CustomersPage() {
  const client = useQueryClient();
  const me = useSession().data?.user;
  const may = (permission: string) => me?.permissions.includes(permission) ?? false;
  const { filters, cursors, setFilters, setCursors } = useListAddress();
  const [search, setSearch] = useSearchBox(filters.q, (q) => setFilters({ ...filters, q }, true));
  const narrow = useMediaQuery("(max-width: 48em)");
  const [storedView, setView] = useLocalStorage<View | null>({ key: "clientele.customers.view", defaultValue: null });
  const view: View = storedView ?? (narrow ? "cards" : "table");  // a phone starts with cards until told
  const [filtering, setFiltering] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const lists = useFilterLists(me);
  const archived = filters.preset === "archived";

  const cursor = cursors[cursors.length - 1];
  const query = listQuery(filters, cursor).toString();
  const pageNumber = cursors.length + 1;
  const page = useQuery({
    queryKey: ["customers", "list", query],
    // The page's number travels with its rows, so "26–50" changes when they do, not before.
    queryFn: async () => ({ ...(await api<Page<Customer>>("GET", `/api/customers?${query}`)), number: pageNumber }),
    placeholderData: keepPreviousData,  // the old page stays until the new one is there
  });
  const live = groupQuery(filters, false).toString();
  const gone = groupQuery(filters, true).toString();
  const liveGroups = useQuery({
    queryKey: ["customers", "groups", live], placeholderData: keepPreviousData,
    queryFn: () => api<{ data: CountGroup[] }>("GET", `/api/customers/groups?${live}`),
  });
  const archivedGroups = useQuery({
    queryKey: ["customers", "groups", gone], placeholderData: keepPreviousData,
    queryFn: () => api<{ data: CountGroup[] }>("GET", `/api/customers/groups?${gone}`),
  });
  const counts = liveGroups.data && archivedGroups.data
    ? presetCounts(liveGroups.data.data, archivedGroups.data.data) : null;

  // Selection is of the rows in view: a new page or new filters start with none selected.
  const [selected, setSelected] = useState<Map<number, Customer>>(new Map());
  useEffect(() => setSelected(new Map()), [query]);
  const rows = page.data?.data ?? [];
  const selection: Selection = {
    enabled: archived ? may("customers.write") : may("customers.delete"),
    ids: new Set(selected.keys()),
    toggle: (c) => {
      const next = new Map(selected);
      if (next.has(c.id)) next.delete(c.id); else next.set(c.id, c);
      setSelected(next);
    },
    toggleAll: () => setSelected(rows.every((c) => selected.has(c.id)) ? new Map() : new Map(rows.map((c) => [c.id, c]))),
  };

  const refresh = () => client.invalidateQueries({ queryKey: ["customers"] });
  const restore = useMutation({
    mutationFn: (targets: Customer[]) => forEach(targets, (c) => api("POST", `/api/customers/${c.id}/restore`)),
    onSuccess: (outcomes) => {
      const restored = outcomes.filter((o) => o.error === undefined).length;
      if (restored) notifications.show({ color: "teal", message: `${countText(restored)} restored.` });
      setProblems(outcomes.filter((o) => o.error !== undefined).map(restoreFailureText));
      setSelected(new Map());
      refresh();
    },
  });

  const countryNames = useMemo(() => new Map(lists.countries.map((c) => [c.code, c.name])), [lists.countries]);
  const filtered = activeFilters(filters).length > 0;
  const total = counts?.[filters.preset] ?? null;
  const first = ((page.data?.number ?? 1) - 1) * filters.limit + 1;

  let empty: React.ReactNode = null;
  if (page.data && rows.length === 0) {
    if (pageNumber > 1) empty = "There is nothing on this page any more.";
    else if (filters.q && !filtered) empty = `No customer matches “${filters.q}”.`;
    else if (filters.q || filtered) empty = "No customer matches these filters.";
    else if (archived) empty = "Nothing is archived.";
    else if (filters.preset === "individuals") empty = "No individuals yet.";
    else if (filters.preset === "companies") empty = "No companies yet.";
    else empty = "No customers yet.";
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>Customers</Title>
        <Group gap="xs">
          <ExportButton filters={filters} matching={total} />
          {may("customers.write") && <Button component={Link} to="/app/customers/new">New customer</Button>}
        </Group>
      </Group>
      <ExportProgress />

      {/* Underlined tabs on a desk; on a phone they wrap, which reads better as pills. */}
      <Tabs variant={narrow ? "pills" : "default"} value={filters.preset} onChange={(v) => v && setFilters({ ...filters, preset: v as Preset })}>
        <Tabs.List>
          {(Object.keys(presetLabels) as Preset[]).map((p) => (
            <Tabs.Tab key={p} value={p}
              rightSection={counts && (
                <Badge size="sm" variant={narrow && p === filters.preset ? "white" : "light"}
                  color={p === filters.preset ? undefined : "gray"}>{counts[p]}</Badge>
              )}>
              {presetLabels[p]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {/* The list below is the chosen preset's panel. */}
        <Tabs.Panel value={filters.preset} pt="md">
          <Stack>
            <Group gap="sm" align="flex-end">
              <TextInput placeholder="Search by name, e-mail or phone" value={search} aria-label="Search customers"
                type="search" flex={{ base: "1 1 100%", sm: "1 1 240px" }} onChange={(e) => setSearch(e.currentTarget.value)} />
              <Indicator label={activeFilters(filters).length} size={18} disabled={!filtered} offset={4}>
                <Button variant="default" onClick={() => setFiltering(true)}>Filters</Button>
              </Indicator>
              <Select aria-label="Sort by" data={sorts} value={filters.sort} allowDeselect={false} w={220}
                onChange={(v) => v && setFilters({ ...filters, sort: v as Sort })} />
              <SegmentedControl aria-label="View" value={view} onChange={(v) => setView(v as View)}
                data={[{ value: "table", label: "Table" }, { value: "cards", label: "Cards" }]} />
            </Group>

            <FilterChips filters={filters} lists={lists} onChange={(next) => setFilters(next)} />

            {selected.size > 0 && (
              <Paper withBorder p="xs" px="sm" bg="var(--mantine-primary-color-light)">
                <Group justify="space-between" gap="xs">
                  <Text size="sm" fw={500}>{countText(selected.size)} selected</Text>
                  <Group gap="xs">
                    <Button size="xs" variant="default" onClick={() => setSelected(new Map())}>Clear selection</Button>
                    {archived ? (
                      <Button size="xs" loading={restore.isPending} onClick={() => restore.mutate([...selected.values()])}>
                        Restore selected
                      </Button>
                    ) : (
                      <Button size="xs" color="red" onClick={() => setArchiving(true)}>Archive selected</Button>
                    )}
                  </Group>
                </Group>
              </Paper>
            )}
            {problems.length > 0 && (
              <Alert color="orange" withCloseButton closeButtonLabel="Dismiss" onClose={() => setProblems([])} role="alert">
                <Stack gap={4}>{problems.map((p) => <Text key={p} size="sm">{p}</Text>)}</Stack>
              </Alert>
            )}
            {page.error && <Alert color="red" role="alert">{problemText(page.error)}</Alert>}

            {/* The old rows stay readable (faded text failed contrast) while a bar says new ones come. */}
            {page.isPlaceholderData && <Progress value={100} animated size="xs" aria-label="Loading the results" />}
            <div aria-busy={page.isFetching} data-testid="customer-results">
              {page.isPending && <ListSkeleton view={view} />}
              {rows.length > 0 && (view === "table"
                ? <CustomerTable customers={rows} selection={selection} archived={archived}
                    countryName={(code) => countryNames.get(code) ?? code} />
                : <CustomerCards customers={rows} selection={selection} archived={archived}
                    countryName={(code) => countryNames.get(code) ?? code} />)}
              {empty && (
                <Stack align="center" py="xl" gap="sm">
                  <Text c="dimmed" ta="center">{empty}</Text>
                  {(filters.q || filtered) && (
                    <Button variant="light"
                      onClick={() => { setSearch(""); setFilters({ ...activeFilters(filters).reduce(withoutFilter, filters), q: "" }); }}>
                      Clear search and filters
                    </Button>
                  )}
                  {!filters.q && !filtered && !archived && pageNumber === 1 && may("customers.write") && (
                    <Button variant="light" component={Link} to="/app/customers/new">Add the first one</Button>
                  )}
                </Stack>
              )}
            </div>

            {/* Nothing to page through in an empty first page. */}
            {!(empty && pageNumber === 1) && <Group justify="space-between" gap="sm">
              <Group gap="sm">
                <Text size="sm" c="dimmed" aria-live="polite">
                  {rows.length > 0 && total !== null ? rangeText(first, rows.length, total) : `Page ${pageNumber}`}
                </Text>
                <Select aria-label="Customers per page" w={144} allowDeselect={false}
                  data={pageSizes.map((n) => ({ value: String(n), label: `${n} per page` }))} value={String(filters.limit)}
                  onChange={(v) => v && setFilters({ ...filters, limit: Number(v) as PageSize })} />
              </Group>
              <Group gap="xs">
                <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
                  Previous
                </Button>
                <Button variant="default" disabled={!page.data?.next_cursor || page.isPlaceholderData}
                  onClick={() => page.data?.next_cursor && setCursors([...cursors, page.data.next_cursor])}>
                  Next
                </Button>
              </Group>
            </Group>}
          </Stack>
        </Tabs.Panel>
      </Tabs>

      <FilterDrawer opened={filtering} onClose={() => setFiltering(false)} filters={filters} lists={lists}
        matching={total} onChange={(next) => setFilters(next)} fullScreen={narrow ?? false} />
      <ArchiveDialog customers={[...selected.values()]} opened={archiving} onClose={() => setArchiving(false)}
        onArchived={(ids) => {
          const next = new Map(selected);
          ids.forEach((id) => next.delete(id));
          setSelected(next);
          refresh();
        }} />
    </Stack>
  );
}
