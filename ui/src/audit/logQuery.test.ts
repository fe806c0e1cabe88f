import dayjs from "dayjs";
import { describe, expect, it } from "vitest";

import { logFilterCount, logFiltersFromSearch, logFiltersToSearch, logQuery, noLogFilters, validAction } from "./logQuery";

describe("the audit log's filters", () => {
  it("read back from the address bar as they were written", () => {
    const filters = { entity: "customer", entityId: 12, actor: "user:3", action: "customer.*", from: "2026-03-01", to: "2026-03-31" };
    const search = logFiltersToSearch(filters);
    expect(search.toString()).toBe("entity=customer&entity_id=12&actor=user%3A3&action=customer.*&from=2026-03-01&to=2026-03-31");
    expect(logFiltersFromSearch(search)).toEqual(filters);
    expect(logFiltersToSearch(noLogFilters).toString()).toBe("");
  });

  it("ignore what the server would refuse", () => {
    const params = new URLSearchParams("entity=Customer!&entity_id=01&actor=robot&action=customer.*.x&from=2026-02-30&to=yesterday");
    expect(logFiltersFromSearch(params)).toEqual(noLogFilters);
    expect(validAction("customer.*")).toBe(true);
    expect(validAction("customer.updated")).toBe(true);
    expect(validAction("*")).toBe(false);
    expect(validAction("Customer updated")).toBe(false);
  });

  it("ask the API for whole local days, from the first one's start to the last one's end", () => {
    const query = logQuery({ ...noLogFilters, actor: "system", from: "2026-03-01", to: "2026-03-31" }, "77");
    expect(query.get("actor")).toBe("system");
    expect(query.get("from")).toBe(dayjs("2026-03-01").toISOString());
    expect(query.get("to")).toBe(dayjs("2026-04-01").toISOString());
    expect(query.get("cursor")).toBe("77");
    expect(query.get("limit")).toBe("50");
    expect(logQuery(noLogFilters).toString()).toBe("limit=50");
  });

  it("count the filters set, a date range as one", () => {
    expect(logFilterCount(noLogFilters)).toBe(0);
    expect(logFilterCount({ ...noLogFilters, entity: "tag", from: "2026-01-01", to: "2026-01-02" })).toBe(2);
  });
});
