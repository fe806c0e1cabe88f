import { describe, expect, it } from "vitest";

import type { LoyaltyProgram } from "../api";
import {
  adjustRequest, entryAuthor, formField, kindOf, programForm, programRequest, redeemRequest, signedPoints,
} from "./loyalty";

const program: LoyaltyProgram = {
  points_per_unit: 1.5, earn_on: "paid", earn_includes_tax: false, earn_includes_shipping: true, expiry_days: null,
  min_redeem: 100, max_balance: null,
  tiers: [{ name: "Silver", min_spend: 50000, multiplier: 1.25 }, { name: "Gold", min_spend: 200000, multiplier: 2 }],
  version: 3, updated_at: "2026-01-01T00:00:00Z",
};

describe("the ledger", () => {
  it("names each kind and signs the points", () => {
    expect(kindOf("reverse").label).toBe("Reversed");
    expect(kindOf("something new").label).toBe("something new");
    expect(signedPoints(1200, "en")).toBe("+1,200");
    expect(signedPoints(-40, "en")).toBe("\u221240");
    expect(signedPoints(0, "en")).toBe("0");
  });

  it("says who made an entry", () => {
    const names = new Map([[2, "Sam"]]);
    expect(entryAuthor({ created_by: null }, names)).toBe("System");
    expect(entryAuthor({ created_by: 2 }, names)).toBe("Sam");
    expect(entryAuthor({ created_by: 7 }, names)).toBe("User #7");
  });
});

describe("an adjustment", () => {
  it("takes signed whole points and a reason", () => {
    expect(adjustRequest(" -50 ", " broken parcel ")).toEqual({ body: { points: -50, reason: "broken parcel" } });
    expect(adjustRequest("+20", "goodwill")).toEqual({ body: { points: 20, reason: "goodwill" } });
  });

  it("refuses zero, fractions and a missing or long reason", () => {
    expect(adjustRequest("0", "x")).toEqual({ errors: { points: expect.any(String) } });
    expect(adjustRequest("1.5", "x")).toEqual({ errors: { points: expect.any(String) } });
    expect(adjustRequest("5", "  ")).toEqual({ errors: { reason: expect.any(String) } });
    expect(adjustRequest("5", "x".repeat(501))).toEqual({ errors: { reason: "At most 500 characters" } });
  });
});

describe("a redemption", () => {
  it("takes whole points up to the balance", () => {
    expect(redeemRequest("300", "", 500, 100)).toEqual({ body: { points: 300 } });
    expect(redeemRequest("300", " voucher ", 500, 100)).toEqual({ body: { points: 300, reason: "voucher" } });
    expect(redeemRequest("600", "", 500, 100)).toEqual({ errors: { points: "At most the balance, 500" } });
    expect(redeemRequest("50", "", 80, 100)).toHaveProperty("errors.points");
    expect(redeemRequest("-5", "", 500, 0)).toHaveProperty("errors.points");
  });
});

describe("the program's form", () => {
  it("shows amounts in the base currency's units and reads them back in minor units", () => {
    const form = programForm(program, "USD");
    expect(form.tiers.map((t) => [t.name, t.min_spend, t.multiplier])).toEqual([["Silver", "500.00", "1.25"], ["Gold", "2000.00", "2"]]);
    expect(form.expires).toBe(false);
    expect(form.capped).toBe(false);
    const { version: _v, updated_at: _u, ...body } = program;
    expect(programRequest(form, "USD")).toEqual({ body });
  });

  it("sends expiry and a cap only when they are on", () => {
    const form = { ...programForm(program, "USD"), expires: true, expiry_days: "90", capped: true, max_balance: "5000" };
    expect(programRequest(form, "USD")).toMatchObject({ body: { expiry_days: 90, max_balance: 5000 } });
  });

  it("checks the server's rules first, by field", () => {
    const form = programForm(program, "JPY");
    form.points_per_unit = "1.234";
    form.tiers.push({ key: "x", name: "silver", min_spend: "100", multiplier: "11" });
    const result = programRequest(form, "JPY");
    expect(result).toEqual({
      errors: {
        points_per_unit: "From 0 to 10000, with at most 2 decimals",
        "tiers.2.name": "Another tier has this name",
        "tiers.2.min_spend": "More than the tier above: tiers go up in spend",
        "tiers.2.multiplier": "From 1 to 10, with at most 2 decimals",
      },
    });
  });

  it("reads the server's field names as the form's", () => {
    expect(formField("tiers[1].min_spend")).toBe("tiers.1.min_spend");
    expect(formField("/tiers/0/name")).toBe("tiers.0.name");
    expect(formField("min_redeem")).toBe("min_redeem");
  });
});
