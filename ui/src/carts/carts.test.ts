import { describe, expect, it } from "vitest";

import { formatMoney } from "../money";
import { cartOwner, cartSubtotal, cartsQuery, itemsText, lineTotal, linesSummary } from "./carts";

const shoes = { sku: "SHOE-42", name: "Running shoes", quantity: 2, unit_price: 8999 };
const socks = { sku: null, name: "Socks", quantity: 1, unit_price: 500 };

describe("a cart's sums", () => {
  it("multiplies and adds the lines", () => {
    expect(lineTotal(shoes)).toBe(17998n);
    expect(cartSubtotal({ lines: [shoes, socks] })).toBe(18498n);
    expect(cartSubtotal({ lines: [] })).toBe(0n);
  });

  it("stays exact past 2^53, the server's limits at their largest", () => {
    const most = { quantity: 1_000_000, unit_price: 10 ** 13 };
    expect(lineTotal(most)).toBe(10n ** 19n);
    // A double would lose the last line's cent: 10^19 + 1 is not a double.
    const sum = cartSubtotal({ lines: [{ ...socks, ...most }, { ...socks, quantity: 1, unit_price: 1 }] });
    expect(sum).toBe(10n ** 19n + 1n);
    expect(formatMoney(sum, "USD", "en-US")).toBe("$100,000,000,000,000,000.01");
  });
});

describe("a cart in words", () => {
  it("counts items", () => {
    expect(itemsText(1)).toBe("1 item");
    expect(itemsText(0)).toBe("0 items");
    expect(itemsText(3)).toBe("3 items");
  });

  it("names the first lines with their quantities, then how many more", () => {
    expect(linesSummary([shoes, socks])).toBe("Running shoes × 2, Socks");
    const many = ["A", "B", "C", "D", "E"].map((name) => ({ name, quantity: 1 }));
    expect(linesSummary(many)).toBe("A, B, C and 2 more");
    expect(linesSummary(many, 5)).toBe("A, B, C, D, E");
    expect(linesSummary([])).toBe("");
  });

  it("stands in for the customer's name with the e-mail, else the number", () => {
    expect(cartOwner({ customer_id: 7, email: "ann@shop.example" })).toBe("ann@shop.example");
    expect(cartOwner({ customer_id: 7, email: null })).toBe("Customer #7");
  });
});

describe("the carts list's query", () => {
  it("asks for abandoned carts, or all open ones, a page at a time", () => {
    expect(cartsQuery(true, 20, null).toString()).toBe("limit=20&abandoned=true");
    expect(cartsQuery(false, 20, null).toString()).toBe("limit=20");
    expect(cartsQuery(true, 20, "abc").toString()).toBe("limit=20&abandoned=true&cursor=abc");
  });
});
