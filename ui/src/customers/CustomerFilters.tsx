// The customer list's filters: the drawer where they are chosen and the chips that show (and
// remove) the ones in force. Every change goes straight to the address bar, so the list follows.
import "@mantine/dates/styles.css";

import { Button, ColorSwatch, Drawer, Group, Pill, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { Country, Customer, Industry, LoyaltyProgram, Page, StaffUser, Tag, User, api } from "../api";
import { formatMoney, minorToDecimal, parseMoney } from "../money";
import { useBaseCurrency } from "../settings/workspaceSettings";
import {
  FilterKey, ListFilters, activeFilters, createdRangeText, dateOf, dayOf, withoutFilter,
} from "./listQuery";

/** The workspace's lists the filters choose from, fetched once and shared with other screens. */
export function useFilterLists(me: User | undefined) {
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => api<Page<Tag>>("GET", "/api/tags?limit=200") });
  const industries = useQuery({
    queryKey: ["industries"], queryFn: () => api<Page<Industry>>("GET", "/api/industries?limit=200"),
  });
  const countries = useQuery({
    queryKey: ["countries"], queryFn: () => api<{ data: Country[] }>("GET", "/api/countries"), staleTime: Infinity,
  });
  // Everyone may filter by "assigned to me"; those who may see the workspace's people, by anyone.
  const mayListUsers = me?.permissions.includes("users.read") ?? false;
  const users = useQuery({
    queryKey: ["users", "active"], enabled: mayListUsers,
    queryFn: () => api<Page<StaffUser>>("GET", "/api/users?status=active&limit=200"),
  });
  // The tiers to filter by, for those who may see the loyalty program.
  const program = useQuery({
    queryKey: ["loyalty-program"], enabled: me?.permissions.includes("loyalty.read") ?? false, staleTime: 60_000,
    queryFn: () => api<LoyaltyProgram>("GET", "/api/loyalty/program"),
  });
  const people = mayListUsers ? users.data?.data ?? [] : me ? [{ id: me.id, name: me.name, email: me.email }] : [];
  return {
    tags: tags.data?.data ?? [],
    industries: industries.data?.data ?? [],
    countries: countries.data?.data ?? [],
    people: people.map((p) => ({ ...p, label: p.id === me?.id ? `Me (${p.name || p.email})` : p.name || p.email })),
    tiers: program.data?.tiers.map((t) => t.name) ?? null,
    baseCurrency: useBaseCurrency(),
  };
}

export type FilterLists = ReturnType<typeof useFilterLists>;

/** The company a filter names: fetched by id, since it need not be on any page of the list. */
function useCompanyName(id: number | null) {
  const company = useQuery({
    queryKey: ["customers", "company-name", id], enabled: id !== null, staleTime: 60_000,
    queryFn: () => api<Customer>("GET", `/api/customers/${id}`),
  });
  return id === null ? null : company.data?.name ?? `Company #${id}`;
}

/** A searchable select of the workspace's companies, searched on the server as you type. */
function CompanySelect({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const selectedName = useCompanyName(value);
  // Once a company is chosen the box shows its name: searching for that would hide the others.
  const term = q === selectedName ? "" : q;
  const found = useQuery({
    queryKey: ["customers", "companies", term],
    queryFn: () => {
      const params = new URLSearchParams({ account_type: "company", sort: "name", limit: "20" });
      if (term) params.set("q", term);
      return api<Page<Customer>>("GET", `/api/customers?${params}`);
    },
  });
  const options = (found.data?.data ?? []).map((c) => ({ value: String(c.id), label: c.name }));
  if (value !== null && selectedName && !options.some((o) => o.value === String(value))) {
    options.unshift({ value: String(value), label: selectedName });
  }
  return (
    <Select label="Company" description="The people who work there" placeholder="Any company" searchable clearable
      data={options} value={value === null ? null : String(value)} searchValue={search} onSearchChange={setSearch}
      filter={({ options: all }) => all}  // the server has searched already
      nothingFoundMessage={found.isFetching ? "Searching…" : "No company found"}
      onChange={(v) => onChange(v ? Number(v) : null)} />
  );
}

//! A range of whole days up to today (YYYY-MM-DD, both ends included), "Any time" when clear. The
//! range is kept here while only its first day is picked, and sent once it is whole.
export function DayRangeInput({ label, from, to, onChange }: {
  label: string;
  from: string | null;
  to: string | null;
  onChange: (from: string | null, to: string | null) => void;
}) {
  const [range, setRange] = useState<[Date | null, Date | null]>([dateOf(from), dateOf(to)]);
  useEffect(() => setRange([dateOf(from), dateOf(to)]), [from, to]);
  return (
    <DatePickerInput type="range" label={label} placeholder="Any time" clearable allowSingleDateInRange
      value={range} maxDate={new Date()} valueFormat="D MMM YYYY"
      onChange={(value) => {
        setRange(value);
        const [first, last] = value;
        if ((first && last) || (!first && !last)) onChange(dayOf(first), dayOf(last));
      }} />
  );
}

//! A number typed in a box (an amount of `currency`, or a whole count without one), sent a moment
//! after typing stops, once it reads as one; the box follows the filter when it changes otherwise.
function NumberFilterInput({ label, value, currency, onChange }: {
  label: string;
  value: number | null;
  currency?: string;
  onChange: (value: number | null) => void;
}) {
  const shown = (v: number | null) => (v === null ? "" : currency ? minorToDecimal(v, currency) : String(v));
  const [text, setText] = useState(shown(value));
  const [settled] = useDebouncedValue(text.trim(), 400);
  // null: no bound; undefined: not a number yet (said, not sent).
  const parsed = (t: string): number | null | undefined => {
    if (t === "") return null;
    if (currency) return parseMoney(t, currency) ?? undefined;
    return /^\d{1,9}$/.test(t) ? Number(t) : undefined;
  };
  useEffect(() => { if (parsed(text.trim()) !== value) setText(shown(value)); }, [value]);
  useEffect(() => {
    const next = parsed(settled);
    if (next !== undefined && next !== value) onChange(next);
  }, [settled]);
  const invalid = parsed(text.trim()) === undefined;
  return (
    <TextInput label={label} inputMode={currency ? "decimal" : "numeric"} value={text} placeholder="Any"
      error={invalid ? (currency ? `An amount in ${currency}` : "A whole number") : undefined}
      onChange={(e) => setText(e.currentTarget.value)} />
  );
}

interface DrawerProps {
  opened: boolean;
  onClose: () => void;
  filters: ListFilters;
  lists: FilterLists;
  matching: number | null;
  onChange: (next: ListFilters) => void;
  fullScreen: boolean;
}

export function FilterDrawer({ opened, onClose, filters, lists, matching, onChange, fullScreen }: DrawerProps) {
  const set = (patch: Partial<ListFilters>) => onChange({ ...filters, ...patch });
  const idValue = (v: number | null) => (v === null ? null : String(v));
  const idOf = (v: string | null) => (v ? Number(v) : null);
  const tagColours = new Map(lists.tags.map((t) => [String(t.id), t.color]));
  const anySet = activeFilters(filters).length > 0;

  return (
    <Drawer opened={opened} onClose={onClose} title="Filters" position="right" size={fullScreen ? "100%" : "sm"}>
      <Stack gap="md">
        <Select label="Tag" placeholder="Any tag" searchable clearable value={idValue(filters.tag)}
          data={lists.tags.map((t) => ({ value: String(t.id), label: t.name }))}
          renderOption={({ option }) => (
            <Group gap="xs" wrap="nowrap">
              <ColorSwatch color={tagColours.get(option.value) ?? "gray"} size={12} />
              <span>{option.label}</span>
            </Group>
          )}
          onChange={(v) => set({ tag: idOf(v) })} />
        <CompanySelect value={filters.company} onChange={(company) => set({ company })} />
        <Select label="Industry" placeholder="Any industry" searchable clearable value={idValue(filters.industry)}
          data={lists.industries.map((i) => ({ value: String(i.id), label: i.name }))}
          onChange={(v) => set({ industry: idOf(v) })} />
        <Select label="Responsible" placeholder="Anyone" searchable clearable value={idValue(filters.responsible)}
          data={lists.people.map((p) => ({ value: String(p.id), label: p.label }))}
          onChange={(v) => set({ responsible: idOf(v) })} />
        <Select label="Country" placeholder="Any country" searchable clearable value={filters.country}
          data={lists.countries.map((c) => ({ value: c.code, label: c.name }))}
          onChange={(v) => set({ country: v })} />
        <Select label="Portal access" placeholder="Any" clearable
          value={filters.portal === null ? null : String(filters.portal)}
          data={[{ value: "true", label: "Has portal access" }, { value: "false", label: "No portal access" }]}
          onChange={(v) => set({ portal: v === null ? null : v === "true" })} />
        <DayRangeInput label="Created" from={filters.createdFrom} to={filters.createdTo}
          onChange={(createdFrom, createdTo) => set({ createdFrom, createdTo })} />
        {lists.baseCurrency && (
          <SimpleGrid cols={2} spacing="sm">
            <NumberFilterInput label={`Lifetime value from (${lists.baseCurrency})`} currency={lists.baseCurrency}
              value={filters.minValue} onChange={(minValue) => set({ minValue })} />
            <NumberFilterInput label={`Lifetime value up to (${lists.baseCurrency})`} currency={lists.baseCurrency}
              value={filters.maxValue} onChange={(maxValue) => set({ maxValue })} />
          </SimpleGrid>
        )}
        <NumberFilterInput label="At least this many orders" value={filters.minOrders}
          onChange={(minOrders) => set({ minOrders })} />
        <DayRangeInput label="Last order" from={filters.lastOrderFrom} to={filters.lastOrderTo}
          onChange={(lastOrderFrom, lastOrderTo) => set({ lastOrderFrom, lastOrderTo })} />
        {lists.tiers !== null && (
          <Select label="Loyalty tier" placeholder="Any tier" clearable value={filters.tier}
            data={[...new Set([...lists.tiers, ...(filters.tier ? [filters.tier] : [])])]}
            onChange={(tier) => set({ tier })} />
        )}
        <Stack gap="xs" mt="sm">
          <Button onClick={onClose} fullWidth>
            {matching === null ? "Show customers" : `Show ${matching} ${matching === 1 ? "customer" : "customers"}`}
          </Button>
          <Button variant="subtle" disabled={!anySet} fullWidth
            onClick={() => onChange(activeFilters(filters).reduce(withoutFilter, filters))}>
            Clear filters
          </Button>
        </Stack>
      </Stack>
    </Drawer>
  );
}

/** The lifetime value range in words, in the base currency once known. */
function valueRangeText(min: number | null, max: number | null, currency: string | null): string {
  const show = (v: number) => (currency ? formatMoney(v, currency) : String(v));
  if (min !== null && max !== null) return `${show(min)} – ${show(max)}`;
  if (min !== null) return `from ${show(min)}`;
  return max !== null ? `up to ${show(max)}` : "";
}

/** What each filter in force says on its chip. */
export function useChipLabels(filters: ListFilters, lists: FilterLists): Record<FilterKey, string> {
  const company = useCompanyName(filters.company);
  const name = <T extends { id: number }>(list: T[], id: number | null, label: (t: T) => string) => {
    const found = list.find((t) => t.id === id);
    return found ? label(found) : `#${id}`;
  };
  return {
    tag: `Tag: ${name(lists.tags, filters.tag, (t) => t.name)}`,
    company: `Contacts of ${company}`,
    industry: `Industry: ${name(lists.industries, filters.industry, (i) => i.name)}`,
    responsible: `Responsible: ${name(lists.people, filters.responsible, (p) => p.label)}`,
    country: `Country: ${lists.countries.find((c) => c.code === filters.country)?.name ?? filters.country}`,
    portal: filters.portal ? "Has portal access" : "No portal access",
    created: `Created ${createdRangeText(filters.createdFrom, filters.createdTo)}`,
    value: `Lifetime value ${valueRangeText(filters.minValue, filters.maxValue, lists.baseCurrency)}`,
    orders: `At least ${filters.minOrders} ${filters.minOrders === 1 ? "order" : "orders"}`,
    lastOrder: `Last order ${createdRangeText(filters.lastOrderFrom, filters.lastOrderTo)}`,
    tier: `Tier: ${filters.tier}`,
  };
}

export function FilterChips({ filters, lists, onChange }: {
  filters: ListFilters; lists: FilterLists; onChange: (next: ListFilters) => void;
}) {
  const labels = useChipLabels(filters, lists);
  const active = activeFilters(filters);
  if (active.length === 0) return null;
  return (
    <Group gap="xs" aria-label="Filters in force" role="group">
      <Text size="sm" c="dimmed">Filtered by</Text>
      {active.map((key) => (
        <Pill key={key} size="md" withRemoveButton onRemove={() => onChange(withoutFilter(filters, key))}
          // Mantine hides a pill's remove button from the keyboard (it is made for inputs, where
          // Backspace removes); here it is the only way to remove the filter, so it is a real button.
          removeButtonProps={{ tabIndex: 0, "aria-hidden": false, "aria-label": `Remove filter ${labels[key]}` }}>
          {labels[key]}
        </Pill>
      ))}
      {active.length > 1 && (
        <Button variant="subtle" size="compact-sm" onClick={() => onChange(active.reduce(withoutFilter, filters))}>
          Clear all
        </Button>
      )}
    </Group>
  );
}
