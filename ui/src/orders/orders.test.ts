import { describe, expect, it } from "vitest";

import { nextStatuses, ordersQuery, statusChange, statusOf } from "./orders";

const order = { status: "paid" as const, total: 10000, refunded_amount: 0, currency: "USD" };

describe("order statuses", () => {
  it("offers only the server's transitions", () => {
    expect(nextStatuses("pending")).toEqual(["paid", "fulfilled", "cancelled"]);
    expect(nextStatuses("paid")).toEqual(["fulfilled", "partially_refunded", "refunded", "cancelled"]);
    expect(nextStatuses("fulfilled")).toEqual(["partially_refunded", "refunded"]);
    expect(nextStatuses("partially_refunded")).toEqual(["partially_refunded", "refunded"]);
    expect(nextStatuses("cancelled")).toEqual([]);
    expect(nextStatuses("refunded")).toEqual([]);
  });

  it("names each status", () => {
    expect(statusOf("partially_refunded").label).toBe("Partially refunded");
  });
});

describe("a status change", () => {
  it("sends the status alone, except for a partial refund", () => {
    expect(statusChange(order, "fulfilled", "")).toEqual({ body: { status: "fulfilled" } });
    expect(statusChange(order, "refunded", "12")).toEqual({ body: { status: "refunded" } });
  });

  it("sends a partial refund in minor units", () => {
    expect(statusChange(order, "partially_refunded", "12.50")).toEqual({
      body: { status: "partially_refunded", refunded_amount: 1250 },
    });
    expect(statusChange({ ...order, currency: "JPY", total: 5000 }, "partially_refunded", "1200")).toEqual({
      body: { status: "partially_refunded", refunded_amount: 1200 },
    });
  });

  it("refuses what the server would", () => {
    expect(statusChange({ ...order, status: "pending" }, "refunded", "")).toHaveProperty("error");
    expect(statusChange({ ...order, status: "cancelled" }, "paid", "")).toHaveProperty("error");
    expect(statusChange(order, "partially_refunded", "")).toHaveProperty("error");
    expect(statusChange(order, "partially_refunded", "0")).toHaveProperty("error");
    expect(statusChange(order, "partially_refunded", "100.00")).toHaveProperty("error");  // the whole total
    expect(statusChange(order, "partially_refunded", "1.005")).toHaveProperty("error");
    const partly = { ...order, status: "partially_refunded" as const, refunded_amount: 2000 };
    expect(statusChange(partly, "partially_refunded", "20")).toEqual({
      error: "More than what was refunded already ($20.00): the refunded amount only grows.",
    });
    expect(statusChange(partly, "partially_refunded", "30")).toEqual({
      body: { status: "partially_refunded", refunded_amount: 3000 },
    });
  });
});

describe("the orders' pages", () => {
  it("asks for a page with its cursor", () => {
    expect(ordersQuery(20, null).toString()).toBe("limit=20");
    expect(ordersQuery(20, "abc").toString()).toBe("limit=20&cursor=abc");
  });
});
