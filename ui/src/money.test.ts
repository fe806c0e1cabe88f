import { describe, expect, it } from "vitest";

import { currencyExponent, currencyOptions, formatDecimalMoney, formatMoney, minorToDecimal, parseMoney } from "./money";

describe("money", () => {
  it("knows the exponents the server uses", () => {
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("jpy")).toBe(0);
    expect(currencyExponent("KWD")).toBe(3);
    expect(currencyExponent("CLF")).toBe(4);
    expect(currencyExponent("ISK")).toBe(0);
  });

  it("writes minor units as an exact decimal", () => {
    expect(minorToDecimal(123450, "USD")).toBe("1234.50");
    expect(minorToDecimal(5, "EUR")).toBe("0.05");
    expect(minorToDecimal(-5, "EUR")).toBe("-0.05");
    expect(minorToDecimal(1234, "JPY")).toBe("1234");
    expect(minorToDecimal(1, "KWD")).toBe("0.001");
    expect(minorToDecimal(10 ** 13 + 1, "USD")).toBe("100000000000.01");
    // A bigint past 2^53, exact to the last digit (a double would end in ...9552).
    expect(minorToDecimal(9_999_999_999_999_999_999n, "USD")).toBe("99999999999999999.99");
    expect(minorToDecimal(-5n, "KWD")).toBe("-0.005");
  });

  it("formats in the locale with the currency's decimals", () => {
    expect(formatMoney(123450, "USD", "en-US")).toBe("$1,234.50");
    expect(formatMoney(123450, "EUR", "de-DE")).toBe("1.234,50\u00a0€");
    expect(formatMoney(1235, "JPY", "en-US")).toBe("¥1,235");
    expect(formatMoney(1500, "KWD", "en-US")).toBe("KWD\u00a01.500");
    expect(formatMoney(0, "USD", "en-US")).toBe("$0.00");
    expect(formatMoney(10_000_000_000_000_000_001n, "EUR", "en-US")).toBe("€100,000,000,000,000,000.01");
    // The largest exact integer: as a double divided by 100 it is no longer exact to the cent.
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "USD", "en-US")).toBe("$90,071,992,547,409.91");
  });

  it("formats a purchase's decimal amount alike", () => {
    expect(formatDecimalMoney(150, "USD", "en-US")).toBe("$150.00");
    expect(formatDecimalMoney(1234.5, "EUR", "de-DE")).toBe("1.234,50\u00a0€");
    expect(formatDecimalMoney(980, "JPY", "en-US")).toBe("¥980");
  });

  it("reads what a person typed as minor units", () => {
    expect(parseMoney("12.5", "USD")).toBe(1250);
    expect(parseMoney(" 1,234.56 ", "USD")).toBe(123456);
    expect(parseMoney("7", "JPY")).toBe(7);
    expect(parseMoney("0.1", "USD")).toBe(10);
    expect(parseMoney("0.29", "USD")).toBe(29);  // not 28.999…
    expect(parseMoney("7.5", "JPY")).toBeNull();
    expect(parseMoney("1.234", "USD")).toBeNull();
    expect(parseMoney("-3", "USD")).toBeNull();
    expect(parseMoney("abc", "USD")).toBeNull();
    expect(parseMoney("", "USD")).toBeNull();
  });

  it("offers the currencies the browser knows, by code and name", () => {
    const options = currencyOptions("en");
    expect(options.find((o) => o.value === "EUR")?.label).toBe("EUR — Euro");
    expect(options.length).toBeGreaterThan(100);
  });
});
