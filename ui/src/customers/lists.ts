// The workspace's lists that the customer screens pick from (titles, industries, tags, users),
// and the countries with their states: fetched once, shared by every form that needs them.
import { useQuery } from "@tanstack/react-query";

import { Country, CustomerTitle, Industry, Page, StaffUser, Subdivision, Tag, api } from "../api";
import { useSession } from "../session";

// Keys of their own ("options", …), so that another screen caching these routes in another shape
// never hands its data to these selects.
export const optionKeys = {
  titles: ["options", "customer-titles"],
  industries: ["options", "industries"],
  tags: ["options", "tags"],
  users: ["options", "users"],
  countries: ["options", "countries"],
  subdivisions: (country: string) => ["options", "subdivisions", country],
} as const;

export function useTitles() {
  return useQuery({
    queryKey: optionKeys.titles,
    queryFn: () => api<Page<CustomerTitle>>("GET", "/api/customer-titles?limit=200"),
    select: (page) => page.data,
    staleTime: 60_000,
  });
}

export function useIndustries() {
  return useQuery({
    queryKey: optionKeys.industries,
    queryFn: () => api<Page<Industry>>("GET", "/api/industries?limit=200"),
    select: (page) => page.data,
    staleTime: 60_000,
  });
}

export function useTags() {
  return useQuery({
    queryKey: optionKeys.tags,
    queryFn: () => api<Page<Tag>>("GET", "/api/tags?limit=200"),
    select: (page) => page.data,
    staleTime: 60_000,
  });
}

//! The workspace's active users, for "Responsible". Only those who may see the users (users.read)
//! get the list; for the others `allowed` is false and the form shows the current value alone.
export function useActiveUsers() {
  const session = useSession();
  const allowed = session.data?.user.permissions.includes("users.read") ?? false;
  const query = useQuery({
    queryKey: optionKeys.users,
    queryFn: () => api<Page<StaffUser>>("GET", "/api/users?status=active&limit=200"),
    select: (page) => page.data,
    enabled: allowed,
    staleTime: 60_000,
  });
  return { ...query, allowed };
}

export function useCountries() {
  return useQuery({
    queryKey: optionKeys.countries,
    queryFn: () => api<{ data: Country[] }>("GET", "/api/countries"),
    // Sorted by name as people look for them (the server lists them in ISO order).
    select: (answer) => [...answer.data].sort((a, b) => a.name.localeCompare(b.name)),
    staleTime: Infinity,
  });
}

export function useSubdivisions(country: string | null, enabled = true) {
  return useQuery({
    queryKey: optionKeys.subdivisions(country ?? ""),
    queryFn: () => api<{ data: Subdivision[] }>("GET", `/api/countries/${encodeURIComponent(country ?? "")}/subdivisions`),
    select: (answer) => [...answer.data].sort((a, b) => a.name.localeCompare(b.name)),
    enabled: Boolean(country) && enabled,
    staleTime: Infinity,
  });
}

//! Names for a country code and its state codes, for showing an address ("DE", "BY" → Germany, Bavaria).
export function usePlaceNames(country: string | null) {
  const countries = useCountries();
  const known = countries.data?.find((c) => c.code === country);
  const states = useSubdivisions(country, known?.has_subdivisions ?? false);
  return {
    countryName: (code: string) => countries.data?.find((c) => c.code === code)?.name ?? code,
    stateName: (code: string) => states.data?.find((s) => s.code === code)?.name ?? code,
  };
}
