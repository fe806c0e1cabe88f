// Money as the API has it: integer minor units with an ISO 4217 currency. Shown with
// Intl.NumberFormat in the reader's locale, and read back from what a person types, without binary
// floating point on the way (amounts go up to 10^13 minor units, and 0.1 + 0.2 is not 0.3).

// The server's exponents (core/currency): 2 unless listed. Intl knows most of them too, but not
// always the same way (ISK, UYI), and the UI must agree with the server on what a minor unit is.
const exponents: Record<string, number> = {
  ...Object.fromEntries(
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" ").map((c) => [c, 0]),
  ),
  ...Object.fromEntries("BHD IQD JOD KWD LYD OMR TND".split(" ").map((c) => [c, 3])),
  CLF: 4,
  UYW: 4,
};

export function currencyExponent(currency: string): number {
  return exponents[currency.toUpperCase()] ?? 2;
}

//! Minor units as an exact decimal string ("-1234.50" for -123450 in a 2-decimal currency). A bigint
//! for what may pass 2^53 (a cart line's quantity × unit price reaches 10^19).
export function minorToDecimal(minor: number | bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const magnitude = typeof minor === "bigint" ? (minor < 0n ? -minor : minor) : Math.abs(Math.trunc(minor));
  const digits = magnitude.toString().padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${minor < 0 ? "-" : ""}${whole}${exponent ? `.${fraction}` : ""}`;
}

//! "$1,234.50", "1.234,50 €", "¥1,235": the amount in the reader's (or the given) locale, with the
//! currency's own number of decimals.
export function formatMoney(minor: number | bigint, currency: string, locale?: string): string {
  const exponent = currencyExponent(currency);
  const format = new Intl.NumberFormat(locale, {
    style: "currency", currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent,
  });
  // A decimal string is formatted exactly (Intl.NumberFormat v3); a number would go through a double.
  return format.format(minorToDecimal(minor, currency) as unknown as number);
}

//! A decimal amount (purchase history's `amount`, already in the currency's units) the same way.
export function formatDecimalMoney(amount: number, currency: string, locale?: string): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency", currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent,
  }).format(amount);
}

//! What a person typed ("12.5", "1,234.50", "  7 ") as minor units of the currency; null when it is
//! not an amount of that currency (a letter, too many decimals, a sign).
export function parseMoney(text: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const plain = text.trim().replace(/[,\s_]/g, "");
  const match = /^(\d+)(?:\.(\d*))?$/.exec(plain);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) return null;
  const minor = Number(match[1] + fraction.padEnd(exponent, "0"));
  return Number.isSafeInteger(minor) ? minor : null;
}

//! The currencies a person may choose from: the ones this browser knows (ISO 4217 codes), with
//! their names in the reader's language.
export function currencyOptions(locale?: string): { value: string; label: string }[] {
  const codes: string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : ["USD"];
  const names = new Intl.DisplayNames(locale, { type: "currency" });
  return codes.map((code) => ({ value: code, label: `${code} — ${names.of(code) ?? code}` }));
}
