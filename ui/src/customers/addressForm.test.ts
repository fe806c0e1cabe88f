import { describe, expect, it } from "vitest";

import { CustomerAddress } from "../api";
import { addressBody, addressValues, defaultMark, emptyAddressValues, postalLines } from "./addressForm";

const address = (id: number, type: CustomerAddress["type"], marks: Partial<CustomerAddress> = {}): CustomerAddress => ({
  id, type, full_name: null, email: null, phone: null, mobile: null, street: null, street2: null, city: null,
  postal_code: null, state: null, country: null, is_default_invoice: false, is_default_delivery: false, version: 1,
  created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:00.000Z", ...marks,
});

describe("addressBody", () => {
  it("sends the whole address, and only the default mark its type allows", () => {
    const values = { ...emptyAddressValues("invoice"), full_name: " Accounts ", city: "Munich", country: "DE", state: "BY",
      is_default_invoice: true, is_default_delivery: true };
    expect(addressBody(values)).toEqual({
      type: "invoice", full_name: "Accounts", email: null, phone: null, mobile: null, street: null, street2: null,
      city: "Munich", postal_code: null, country: "DE", state: "BY", is_default_invoice: true,
    });
    expect(addressBody({ ...values, type: "other" })).not.toHaveProperty("is_default_invoice");
    expect(addressBody({ ...values, type: "delivery" })).toMatchObject({ is_default_delivery: true });
  });

  it("reads a stored address back", () => {
    const stored = address(3, "delivery", { city: "Lyon", country: "FR", is_default_delivery: true });
    expect(addressValues(stored)).toMatchObject({ type: "delivery", city: "Lyon", full_name: "", is_default_delivery: true });
  });
});

describe("defaultMark", () => {
  it("says the first address of a kind is the default by itself", () => {
    expect(defaultMark("invoice", null, [address(1, "delivery")])).toEqual({ forced: true, reason: "The first invoice address is the default one." });
  });
  it("lets another address take the mark", () => {
    expect(defaultMark("invoice", null, [address(1, "invoice", { is_default_invoice: true })])).toEqual({ forced: false, reason: null });
  });
  it("keeps the mark on the default one: it moves only by marking another", () => {
    const current = address(1, "invoice", { is_default_invoice: true });
    expect(defaultMark("invoice", current, [current, address(2, "invoice")]).forced).toBe(true);
  });
});

describe("postalLines", () => {
  it("writes an address as a letter would, with names for the codes", () => {
    const lines = postalLines({ street: "Marienplatz 1", street2: null, city: "München", postal_code: "80331", state: "BY", country: "DE" },
      (code) => (code === "DE" ? "Germany" : code), (code) => (code === "BY" ? "Bayern" : code));
    expect(lines).toEqual(["Marienplatz 1", "80331 München", "Bayern", "Germany"]);
  });
});
