// The pickers the customer screens share: the postal address with its country → state selects,
// the company select-or-create, the tag multi-select that makes new tags, and the title, industry
// and responsible selects. All Mantine (Select, Combobox, PillsInput).
import {
  Badge, CheckIcon, ColorSwatch, Combobox, Group, InputBase, Loader, Pill, PillsInput, Select, SelectProps,
  SimpleGrid, Text, TextInput, isLightColor, useCombobox,
} from "@mantine/core";
import { UseFormReturnType } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ReactNode, useState } from "react";

import { Customer, Page, Tag, api, problemText } from "../api";
import { CompanyChoice, PostalField, PostalValues } from "./customerForm";
import { optionKeys, useActiveUsers, useCountries, useIndustries, useSubdivisions, useTags, useTitles } from "./lists";

//! What @mantine/form's getInputProps gives an input (value, onChange, error, focus handlers).
type InputProps = ReturnType<UseFormReturnType<PostalValues>["getInputProps"]>;

//! Street, street 2, city, postal code, country and state. The state select lists the states of
//! the chosen country and is cleared when the country changes (a state belongs to one country).
export function AddressFields({ inputProps, country, state, onPlaceChange }: {
  inputProps: (field: PostalField) => InputProps;
  country: string | null;
  state: string | null;
  onPlaceChange: (place: { country: string | null; state: string | null }) => void;
}) {
  const countries = useCountries();
  const chosen = countries.data?.find((c) => c.code === country);
  const states = useSubdivisions(country, chosen?.has_subdivisions ?? false);
  const error = (field: PostalField) => inputProps(field).error;
  const stateData = (states.data ?? []).map((s) => ({ value: s.code, label: s.name }));
  // A stored state the list does not know yet (still loading) keeps showing its code.
  if (state && !stateData.some((s) => s.value === state)) stateData.push({ value: state, label: state });
  let statePlaceholder = "Choose a country first";
  if (chosen && !chosen.has_subdivisions) statePlaceholder = "This country has no states";
  else if (chosen) statePlaceholder = "Pick a state";
  return (
    <>
      <TextInput label="Street" autoComplete="address-line1" {...inputProps("street")} />
      <TextInput label="Street 2" autoComplete="address-line2" {...inputProps("street2")} />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <TextInput label="City" autoComplete="address-level2" {...inputProps("city")} />
        <TextInput label="Postal code" autoComplete="postal-code" {...inputProps("postal_code")} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <Select label="Country" placeholder="Pick a country" searchable clearable
          data={(countries.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
          nothingFoundMessage="No country by that name" value={country} error={error("country")}
          rightSection={countries.isPending ? <Loader size="xs" /> : undefined}
          onChange={(code) => code !== country && onPlaceChange({ country: code, state: null })} />
        <Select label="State" placeholder={statePlaceholder} searchable clearable data={stateData}
          disabled={!chosen?.has_subdivisions} nothingFoundMessage="No state by that name" value={state}
          error={error("state")} rightSection={states.isFetching ? <Loader size="xs" /> : undefined}
          onChange={(code) => onPlaceChange({ country, state: code })} />
      </SimpleGrid>
    </>
  );
}

//! An individual's company: a search over the workspace's companies as you type, with
//! "Create ‘X’" when no company has that name, which the save then creates (`company_name`).
export function CompanySelect({ value, onChange, error }: {
  value: CompanyChoice | null;
  onChange: (company: CompanyChoice | null) => void;
  error?: ReactNode;
}) {
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [search, setSearch] = useState(value?.name ?? "");
  const [typed, setTyped] = useState(false);  // the search shows the chosen name until one types
  const [q] = useDebouncedValue(typed ? search.trim() : "", 200);
  const companies = useQuery({
    queryKey: ["options", "companies", q],
    queryFn: () => {
      const params = new URLSearchParams({ account_type: "company", limit: "20", sort: "name" });
      if (q) params.set("q", q);
      return api<Page<Customer>>("GET", `/api/customers?${params}`);
    },
    enabled: combobox.dropdownOpened,
    staleTime: 10_000,
  });
  const found = companies.data?.data ?? [];
  const wanted = search.trim();
  const exact = found.some((c) => c.name.toLowerCase() === wanted.toLowerCase());
  const choose = (company: CompanyChoice | null) => {
    onChange(company);
    setSearch(company?.name ?? "");
    setTyped(false);
    combobox.closeDropdown();
  };

  return (
    <Combobox store={combobox} withinPortal={false} onOptionSubmit={(option) => {
      if (option === "$create") choose({ id: null, name: wanted });
      else {
        const company = found.find((c) => String(c.id) === option);
        if (company) choose({ id: company.id, name: company.name });
      }
    }}>
      <Combobox.Target>
        <InputBase label="Company" placeholder="Search or create a company" value={search} error={error}
          description={value && value.id === null ? `“${value.name}” is a new company, created when you save.` : undefined}
          rightSection={companies.isFetching ? <Loader size="xs" /> : value ? (
            <Combobox.ClearButton onClear={() => choose(null)} aria-label="Clear the company" />
          ) : <Combobox.Chevron />}
          rightSectionPointerEvents={value ? "all" : "none"}
          onClick={() => combobox.openDropdown()}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => { combobox.closeDropdown(); setSearch(value?.name ?? ""); setTyped(false); }}
          onChange={(e) => {
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
            setSearch(e.currentTarget.value);
            setTyped(true);
          }} />
      </Combobox.Target>
      <Combobox.Dropdown>
        <Combobox.Options mah={260} style={{ overflowY: "auto" }}>
          {found.map((c) => (
            <Combobox.Option value={String(c.id)} key={c.id} active={value?.id === c.id}>
              <Group gap={6} wrap="nowrap">
                {value?.id === c.id && <CheckIcon size={10} />}
                <Text size="sm">{c.name}</Text>
                {c.address.city && <Text size="xs" c="dimmed">{c.address.city}</Text>}
              </Group>
            </Combobox.Option>
          ))}
          {typed && wanted && !exact && !companies.isFetching && (
            <Combobox.Option value="$create">Create ‘{wanted}’</Combobox.Option>
          )}
          {found.length === 0 && !wanted && !companies.isFetching && (
            <Combobox.Empty>No companies yet: type a name to create one</Combobox.Empty>
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

//! A tag as a badge in its colour.
export function TagBadge({ tag, size = "sm" }: { tag: Tag; size?: "xs" | "sm" | "md" }) {
  return <Badge size={size} color={tag.color} variant="filled" autoContrast>{tag.name}</Badge>;
}

//! The customer's tags: pick from the workspace's tags or type a new name and "Create ‘X’"
//! (POST /api/tags, which gives it the palette's next colour).
export function TagsSelect({ value, onChange, error }: {
  value: Tag[];
  onChange: (tags: Tag[]) => void;
  error?: ReactNode;
}) {
  const client = useQueryClient();
  const combobox = useCombobox({
    onDropdownClose: () => combobox.resetSelectedOption(),
    onDropdownOpen: () => combobox.updateSelectedOptionIndex("active"),
  });
  const tags = useTags();
  const [search, setSearch] = useState("");
  const [createError, setCreateError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (name: string) => api<Tag>("POST", "/api/tags", { name }),
    onSuccess: (tag) => {
      setCreateError(null);
      onChange([...value, tag]);
      client.invalidateQueries({ queryKey: optionKeys.tags });
    },
    onError: (failure) => setCreateError(problemText(failure)),
  });
  const wanted = search.trim();
  const all = tags.data ?? [];
  const matching = all.filter((t) => t.name.toLowerCase().includes(wanted.toLowerCase()));
  const exact = all.some((t) => t.name.toLowerCase() === wanted.toLowerCase());
  const picked = (tag: Tag) => value.some((t) => t.id === tag.id);
  const toggle = (tag: Tag) => onChange(picked(tag) ? value.filter((t) => t.id !== tag.id) : [...value, tag]);

  return (
    <Combobox store={combobox} withinPortal={false} onOptionSubmit={(option) => {
      if (option === "$create") create.mutate(wanted);
      else {
        const tag = all.find((t) => String(t.id) === option);
        if (tag) toggle(tag);
      }
      setSearch("");
    }}>
      <Combobox.DropdownTarget>
        <PillsInput label="Tags" error={error ?? createError} onClick={() => combobox.openDropdown()}
          rightSection={create.isPending || tags.isPending ? <Loader size="xs" /> : undefined}>
          <Pill.Group>
            {value.map((tag) => (
              <Pill key={tag.id} withRemoveButton onRemove={() => toggle(tag)}
                removeButtonProps={{ "aria-label": `Remove the tag ${tag.name}` }}
                style={{ backgroundColor: tag.color, color: isLightColor(tag.color) ? "black" : "white" }}>
                {tag.name}
              </Pill>
            ))}
            <Combobox.EventsTarget>
              <PillsInput.Field placeholder={value.length ? undefined : "Pick or create tags"} value={search}
                onFocus={() => combobox.openDropdown()} onBlur={() => combobox.closeDropdown()}
                onChange={(e) => { combobox.updateSelectedOptionIndex(); setSearch(e.currentTarget.value); }}
                onKeyDown={(e) => {
                  if (e.key === "Backspace" && search.length === 0 && value.length) {
                    e.preventDefault();
                    onChange(value.slice(0, -1));
                  }
                }} />
            </Combobox.EventsTarget>
          </Pill.Group>
        </PillsInput>
      </Combobox.DropdownTarget>
      <Combobox.Dropdown>
        <Combobox.Options mah={260} style={{ overflowY: "auto" }}>
          {matching.map((tag) => (
            <Combobox.Option value={String(tag.id)} key={tag.id} active={picked(tag)}>
              <Group gap="xs" wrap="nowrap">
                {picked(tag) ? <CheckIcon size={10} /> : <span style={{ width: 10 }} />}
                <ColorSwatch color={tag.color} size={12} />
                <Text size="sm">{tag.name}</Text>
              </Group>
            </Combobox.Option>
          ))}
          {wanted && !exact && <Combobox.Option value="$create">Create ‘{wanted}’</Combobox.Option>}
          {!wanted && all.length === 0 && !tags.isPending && (
            <Combobox.Empty>No tags yet: type a name to create one</Combobox.Empty>
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

type PickerProps = Omit<SelectProps, "data">;

export function TitleSelect(props: PickerProps) {
  const titles = useTitles();
  return (
    <Select label="Title" placeholder="Mr., Ms., Dr. …" clearable {...props}
      data={(titles.data ?? []).map((t) => ({ value: String(t.id), label: `${t.short_name} (${t.name})` }))} />
  );
}

export function IndustrySelect(props: PickerProps) {
  const industries = useIndustries();
  return (
    <Select label="Industry" placeholder="Pick an industry" searchable clearable nothingFoundMessage="No industry by that name"
      {...props} data={(industries.data ?? []).map((i) => ({ value: String(i.id), label: i.name }))} />
  );
}

//! The internal person in charge. Without the right to see the users, the current one is shown alone.
export function ResponsibleSelect({ current, ...props }: PickerProps & { current: { id: number; name: string; email: string } | null }) {
  const users = useActiveUsers();
  const data = (users.data ?? []).map((u) => ({ value: String(u.id), label: u.name ? `${u.name} (${u.email})` : u.email }));
  if (current && !data.some((d) => d.value === String(current.id))) {
    data.push({ value: String(current.id), label: current.name || current.email });
  }
  return (
    <Select label="Responsible" placeholder={users.allowed ? "Pick a salesperson" : "Only admins assign one"}
      searchable clearable {...props} data={data} disabled={!users.allowed}
      description={users.allowed ? undefined : "You may not see the workspace's users."} />
  );
}
