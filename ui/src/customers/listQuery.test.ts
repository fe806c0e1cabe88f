import dayjs from "dayjs";
import { describe, expect, it } from "vitest";

import {
  activeFilters, createdRangeText, exportFilter, filtersFromSearch, filtersToSearch, groupQuery, listQuery, noFilters,
  presetCounts, withoutFilter,
} from "./listQuery";

describe("the list's address", () => {
  it("reads every filter from the search parameters", () => {
    const f = filtersFromSearch(new URLSearchParams(
      "q=ander&preset=companies&tag=3&company=27&industry=6&responsible=2&country=ca&portal=true&from=2026-01-01&to=2026-01-31&sort=-created_at&limit=50",
    ));
    expect(f).toEqual({
      q: "ander", preset: "companies", sort: "-created_at", limit: 50, tag: 3, company: 27, industry: 6,
      responsible: 2, country: "CA", portal: true, createdFrom: "2026-01-01", createdTo: "2026-01-31",
      minValue: null, maxValue: null, minOrders: null, lastOrderFrom: null, lastOrderTo: null, tier: null,
    });
  });

  it("reads the value filters and sorts", () => {
    const f = filtersFromSearch(new URLSearchParams(
      "value_min=10000&value_max=0&orders_min=2&last_from=2026-02-01&last_to=2026-02-28&tier=Gold&sort=-lifetime_value",
    ));
    expect(f).toEqual({
      ...noFilters, sort: "-lifetime_value", minValue: 10000, maxValue: 0, minOrders: 2, lastOrderFrom: "2026-02-01",
      lastOrderTo: "2026-02-28", tier: "Gold",
    });
    expect(filtersFromSearch(filtersToSearch(f))).toEqual(f);
    expect(filtersFromSearch(new URLSearchParams("value_min=1.5&orders_min=-1&last_from=2026-02-30"))).toEqual(noFilters);
  });

  it("ignores what is malformed instead of sending it to the server", () => {
    const f = filtersFromSearch(new URLSearchParams(
      "preset=deleted&tag=abc&company=-1&country=Canada&portal=yes&from=2026-13-45&limit=30&sort=phone",
    ));
    expect(f).toEqual(noFilters);
  });

  it("writes only what differs from the defaults, so the plain list has a plain address", () => {
    expect(filtersToSearch(noFilters).toString()).toBe("");
    expect(filtersToSearch({ ...noFilters, preset: "archived", portal: false, limit: 100 }).toString())
      .toBe("preset=archived&portal=false&limit=100");
  });

  it("reads back what it wrote", () => {
    const f = { ...noFilters, q: "a b", tag: 1, country: "DE", createdFrom: "2026-02-01", createdTo: "2026-02-03" };
    expect(filtersFromSearch(filtersToSearch(f))).toEqual(f);
  });
});

describe("the API's parameters", () => {
  it("asks for a page sorted by name, with the preset, filters and cursor", () => {
    const f = { ...noFilters, q: "son", preset: "companies" as const, tag: 2, country: "US", portal: true };
    expect(Object.fromEntries(listQuery(f, "abc"))).toEqual({
      limit: "25", sort: "name", preset: "companies", q: "son", tag_id: "2", country: "US",
      portal_access: "true", cursor: "abc",
    });
  });

  it("turns the picked days into a range from the first local midnight to the one after the last day", () => {
    const params = listQuery({ ...noFilters, createdFrom: "2026-03-01", createdTo: "2026-03-31" });
    expect(params.get("created_from")).toBe(dayjs("2026-03-01T00:00:00").toISOString());
    expect(params.get("created_to")).toBe(dayjs("2026-04-01T00:00:00").toISOString());
  });

  it("counts by account type with the same filters but without the preset, live or archived", () => {
    const f = { ...noFilters, preset: "individuals" as const, industry: 4, limit: 100 as const };
    expect(groupQuery(f, false).toString()).toBe("by=account_type&industry_id=4");
    expect(groupQuery(f, true).toString()).toBe("by=account_type&deleted=true&industry_id=4");
  });

  it("puts the group counts on the presets", () => {
    const live = [
      { key: "individual", id: null, label: "individual", count: 190 },
      { key: "company", id: null, label: "company", count: 10 },
    ];
    const archived = [{ key: "individual", id: null, label: "individual", count: 3 }];
    expect(presetCounts(live, archived)).toEqual({ all: 200, individuals: 190, companies: 10, archived: 3 });
    expect(presetCounts([], [])).toEqual({ all: 0, individuals: 0, companies: 0, archived: 0 });
  });
});

describe("the value filters' parameters", () => {
  it("asks for lifetime value in minor units, order count, last order days and tier", () => {
    const f = { ...noFilters, sort: "-last_order_at" as const, minValue: 5000, maxValue: 90000, minOrders: 3,
      lastOrderFrom: "2026-03-01", lastOrderTo: "2026-03-31", tier: "Silver" };
    expect(Object.fromEntries(listQuery(f))).toEqual({
      limit: "25", sort: "-last_order_at", min_lifetime_value: "5000", max_lifetime_value: "90000", min_order_count: "3",
      last_order_from: dayjs("2026-03-01T00:00:00").toISOString(), last_order_to: dayjs("2026-04-01T00:00:00").toISOString(),
      loyalty_tier: "Silver",
    });
    expect(activeFilters(f)).toEqual(["value", "orders", "lastOrder", "tier"]);
    expect(activeFilters(withoutFilter(f, "value"))).toEqual(["orders", "lastOrder", "tier"]);
    expect(exportFilter(f)).toMatchObject({ min_lifetime_value: 5000, min_order_count: 3, loyalty_tier: "Silver" });
  });
});

describe("the filter chips", () => {
  it("lists the narrowing filters that are set, and takes one off", () => {
    const f = { ...noFilters, q: "x", preset: "companies" as const, tag: 1, createdTo: "2026-01-01" };
    expect(activeFilters(f)).toEqual(["tag", "created"]);
    expect(activeFilters(withoutFilter(f, "created"))).toEqual(["tag"]);
    expect(withoutFilter(f, "tag")).toEqual({ ...f, tag: null });
  });

  it("says the created range in words", () => {
    expect(createdRangeText("2026-01-05", "2026-02-10")).toBe("5 Jan 2026 – 10 Feb 2026");
    expect(createdRangeText("2026-01-05", "2026-01-05")).toBe("on 5 Jan 2026");
    expect(createdRangeText("2026-01-05", null)).toBe("from 5 Jan 2026");
    expect(createdRangeText(null, "2026-01-05")).toBe("until 5 Jan 2026");
  });
});

describe("the export's filter", () => {
  it("is what the list shows, every page of it, with ids as numbers", () => {
    const f = { ...noFilters, q: "ander", preset: "individuals" as const, sort: "-name" as const, limit: 50 as const,
      tag: 7, country: "US", portal: false };
    expect(exportFilter(f)).toEqual({
      sort: "-name", preset: "individuals", q: "ander", tag_id: 7, country: "US", portal_access: false,
    });
    expect(exportFilter(noFilters)).toEqual({ sort: "name" });
    expect(exportFilter({ ...noFilters, preset: "archived" })).toEqual({ sort: "name", preset: "archived" });
  });
});
