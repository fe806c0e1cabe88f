import { describe, expect, it } from "vitest";

import { PortalLoyaltyEntry } from "../api";
import { entryText, expiryText, formatMoney, orderStatus, pointsText } from "./purchases";

const entry = (fields: Partial<PortalLoyaltyEntry>): PortalLoyaltyEntry => ({
  id: 1, kind: "earn", points: 10, balance_after: 10, debt: 0, withheld: 0, order_id: null, reason: null,
  created_at: "2026-03-01T10:00:00.000Z", expires_at: null, lots: [], ...fields,
});

describe("formatMoney", () => {
  it("reads minor units with the currency's own exponent", () => {
    expect(formatMoney(123456, "EUR", "en-GB")).toBe("€1,234.56");
    expect(formatMoney(1500, "JPY", "en-US")).toBe("¥1,500");
    expect(formatMoney(1234, "BHD", "en-US")).toBe("BHD\u00a01.234");  // a no-break space
    expect(formatMoney(5, "USD", "en-US")).toBe("$0.05");
    expect(formatMoney(-250, "USD", "en-US")).toBe("-$2.50");
  });
});

describe("orderStatus", () => {
  it("names every status the API has, and shows an unknown one as it is", () => {
    expect(orderStatus("fulfilled")).toEqual({ label: "Sent", color: "teal.9" });
    expect(orderStatus("partially_refunded").label).toBe("Partly refunded");
    expect(orderStatus("pending").label).toBe("Awaiting payment");
    expect(orderStatus("lost" as never)).toEqual({ label: "lost", color: "gray.7" });
  });
});

describe("pointsText", () => {
  it("signs points with a true minus", () => {
    expect(pointsText(1200, "en-US")).toBe("+1,200");
    expect(pointsText(-30, "en-US")).toBe("\u221230");
    expect(pointsText(0, "en-US")).toBe("0");
  });
});

describe("entryText", () => {
  it("says what each kind of entry was", () => {
    expect(entryText(entry({ kind: "earn", order_id: 4 }), "N-1001")).toBe("Earned on order N-1001");
    expect(entryText(entry({ kind: "earn", order_id: 4 }))).toBe("Earned on an order");
    expect(entryText(entry({ kind: "reverse", points: -10 }), "N-7")).toBe("Taken back: order N-7 was cancelled or refunded");
    expect(entryText(entry({ kind: "redeem", points: -50 }))).toBe("Spent");
    expect(entryText(entry({ kind: "redeem", points: -50, reason: "Discount on order N-9" })))
      .toBe("Spent: Discount on order N-9");
    expect(entryText(entry({ kind: "expire", points: -5 }))).toBe("Expired");
    expect(entryText(entry({ kind: "adjust", points: 20, reason: "Birthday" }))).toBe("Added: Birthday");
    expect(entryText(entry({ kind: "adjust", points: -20, reason: "Duplicate" }))).toBe("Removed: Duplicate");
    expect(entryText(entry({ kind: "adjust", points: 5 }))).toBe("Added by the shop");
  });
});

describe("expiryText", () => {
  it("tells how many points expire and when, or nothing", () => {
    expect(expiryText({ next_expiry: null })).toBeNull();
    expect(expiryText({ next_expiry: { points: 1200, at: "2026-12-31T12:00:00.000Z" } }, "en-GB"))
      .toBe("1,200 points expire on 31 Dec 2026");
    expect(expiryText({ next_expiry: { points: 1, at: "2026-12-31T12:00:00.000Z" } }, "en-GB"))
      .toBe("1 point expires on 31 Dec 2026");
  });
});
