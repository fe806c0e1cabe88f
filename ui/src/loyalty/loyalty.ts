// Loyalty as the admin UI shows and edits it: a ledger entry's kind in words, the adjust and redeem
// requests with their checks, and the program's form (amounts typed in the base currency's units,
// sent in minor units) with the server's rules checked first. Pure functions, tested alone.
import type { LoyaltyEntry, LoyaltyKind, LoyaltyProgram } from "../api";
import { minorToDecimal, parseMoney } from "../money";

export const entryKinds: Record<LoyaltyKind, { label: string; color: string }> = {
  earn: { label: "Earned", color: "teal" },
  redeem: { label: "Redeemed", color: "blue" },
  expire: { label: "Expired", color: "gray" },
  adjust: { label: "Adjusted", color: "violet" },
  reverse: { label: "Reversed", color: "orange" },
};

export function kindOf(kind: string) {
  return entryKinds[kind as LoyaltyKind] ?? { label: kind, color: "gray" };
}

//! "+120", "−40", "0": points with their sign, as a ledger shows them.
export function signedPoints(points: number, locale?: string): string {
  const text = Math.abs(points).toLocaleString(locale);
  return points > 0 ? `+${text}` : points < 0 ? `\u2212${text}` : text;
}

//! Who made an entry: a staff member by name where known (the people list, the signed-in user),
//! else by id; the system for what jobs book (earning, reversal, expiry).
export function entryAuthor(entry: Pick<LoyaltyEntry, "created_by">, names: ReadonlyMap<number, string>): string {
  const by = entry.created_by;
  if (by === null) return "System";
  return names.get(by) ?? `User #${by}`;
}

const wholePoints = /^[+-]?\d{1,9}$/;

//! POST …/loyalty/adjust: a whole number of points, not zero (− takes away), and a reason.
export function adjustRequest(pointsText: string, reason: string):
  { body: { points: number; reason: string } } | { errors: { points?: string; reason?: string } } {
  const errors: { points?: string; reason?: string } = {};
  const text = pointsText.trim().replace("\u2212", "-");
  const points = Number(text);
  if (!wholePoints.test(text) || points === 0) errors.points = "A whole number of points, such as 50 to add or -50 to take away";
  const why = reason.trim();
  if (!why) errors.reason = "Say why: the ledger keeps the reason";
  else if (why.length > 500) errors.reason = "At most 500 characters";
  return Object.keys(errors).length ? { errors } : { body: { points, reason: why } };
}

//! POST …/loyalty/redeem: whole points, at most the balance, with the program's minimum balance.
export function redeemRequest(pointsText: string, reason: string, balance: number, minRedeem: number):
  { body: { points: number; reason?: string } } | { errors: { points?: string; reason?: string } } {
  const text = pointsText.trim();
  const points = Number(text);
  if (!/^\d{1,9}$/.test(text) || points <= 0) return { errors: { points: "A whole number of points, more than 0" } };
  if (points > balance) return { errors: { points: `At most the balance, ${balance.toLocaleString()}` } };
  if (balance < minRedeem) {
    return { errors: { points: `The program redeems from a balance of ${minRedeem.toLocaleString()} points` } };
  }
  const why = reason.trim();
  if (why.length > 500) return { errors: { reason: "At most 500 characters" } };
  return { body: why ? { points, reason: why } : { points } };
}

//! The program as its form holds it: numbers as typed, amounts in the base currency's units.
export interface ProgramForm {
  points_per_unit: string;
  earn_on: "paid" | "fulfilled";
  earn_includes_tax: boolean;
  earn_includes_shipping: boolean;
  expires: boolean;
  expiry_days: string;
  min_redeem: string;
  capped: boolean;
  max_balance: string;
  tiers: { key: string; name: string; min_spend: string; multiplier: string }[];
}

export type ProgramBody = Omit<LoyaltyProgram, "version" | "updated_at">;

let tierKeys = 0;
//! A key for a tier's row in the editor (stable while its name is being typed).
export function tierKey(): string {
  tierKeys += 1;
  return `tier-${tierKeys}`;
}

export function programForm(program: LoyaltyProgram, baseCurrency: string): ProgramForm {
  return {
    points_per_unit: String(program.points_per_unit),
    earn_on: program.earn_on,
    earn_includes_tax: program.earn_includes_tax,
    earn_includes_shipping: program.earn_includes_shipping,
    expires: program.expiry_days !== null,
    expiry_days: program.expiry_days === null ? "365" : String(program.expiry_days),
    min_redeem: String(program.min_redeem),
    capped: program.max_balance !== null,
    max_balance: program.max_balance === null ? "" : String(program.max_balance),
    tiers: program.tiers.map((t) => ({
      key: tierKey(), name: t.name, min_spend: minorToDecimal(t.min_spend, baseCurrency), multiplier: String(t.multiplier),
    })),
  };
}

const twoDecimals = /^\d+(\.\d{1,2})?$/;
const count = /^\d{1,9}$/;

//! The PUT body from the form, or the errors by the form's field paths ("tiers.1.min_spend"), with
//! the server's rules: points per unit 0..10000 with at most 2 decimals; tiers named once each,
//! their spend strictly increasing, multipliers 1..10 with at most 2 decimals.
export function programRequest(form: ProgramForm, baseCurrency: string):
  { body: ProgramBody } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const ppu = form.points_per_unit.trim();
  if (!twoDecimals.test(ppu) || Number(ppu) > 10000) errors.points_per_unit = "From 0 to 10000, with at most 2 decimals";
  const expiry = form.expiry_days.trim();
  if (form.expires && (!count.test(expiry) || Number(expiry) < 1)) errors.expiry_days = "A whole number of days, 1 or more";
  const min = form.min_redeem.trim();
  if (!count.test(min)) errors.min_redeem = "A whole number of points, 0 for none";
  const max = form.max_balance.trim();
  if (form.capped && (!count.test(max) || Number(max) < 1)) errors.max_balance = "A whole number of points, 1 or more";

  const tiers: LoyaltyProgram["tiers"] = [];
  const names = new Set<string>();
  form.tiers.forEach((tier, i) => {
    const name = tier.name.trim();
    if (!name) errors[`tiers.${i}.name`] = "Name the tier";
    else if (name.length > 100) errors[`tiers.${i}.name`] = "At most 100 characters";
    else if (names.has(name.toLowerCase())) errors[`tiers.${i}.name`] = "Another tier has this name";
    names.add(name.toLowerCase());
    const spend = parseMoney(tier.min_spend, baseCurrency);
    if (spend === null) errors[`tiers.${i}.min_spend`] = `An amount in ${baseCurrency}`;
    else if (i > 0 && tiers[i - 1] && spend <= tiers[i - 1].min_spend) {
      errors[`tiers.${i}.min_spend`] = "More than the tier above: tiers go up in spend";
    }
    const multiplier = tier.multiplier.trim();
    if (!twoDecimals.test(multiplier) || Number(multiplier) < 1 || Number(multiplier) > 10) {
      errors[`tiers.${i}.multiplier`] = "From 1 to 10, with at most 2 decimals";
    }
    tiers.push({ name, min_spend: spend ?? 0, multiplier: Number(multiplier) });
  });
  if (Object.keys(errors).length) return { errors };
  return {
    body: {
      points_per_unit: Number(ppu),
      earn_on: form.earn_on,
      earn_includes_tax: form.earn_includes_tax,
      earn_includes_shipping: form.earn_includes_shipping,
      expiry_days: form.expires ? Number(expiry) : null,
      min_redeem: Number(min),
      max_balance: form.capped ? Number(max) : null,
      tiers,
    },
  };
}

//! A server's field name ("tiers[1].min_spend", "tiers.1.min_spend" or "min_redeem") as the form's.
export function formField(field: string): string {
  return field.replace(/\[(\d+)\]/g, ".$1").replace(/^\//, "").replace(/\//g, ".");
}
