// What the portal's "Orders and points" page says about orders and points, in words: amounts in
// minor units as money of their currency, order statuses, ledger entries and the next expiry.
import { PortalLoyaltyEntry, PortalLoyalty, PortalOrderSummary } from "../api";

//! An amount in minor units of `currency` (ISO 4217) as money: 123456 EUR → "€1,234.56". The
//! currency's exponent comes from Intl (JPY 0, BHD 3, CLF 4), not a table of our own.
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency });
  const exponent = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** exponent);
}

// Dark shades: white text on them keeps a contrast of at least 4.5:1 (WCAG AA).
const statuses: Record<PortalOrderSummary["status"], { label: string; color: string }> = {
  pending: { label: "Awaiting payment", color: "gray.7" },
  paid: { label: "Paid", color: "blue.9" },
  fulfilled: { label: "Sent", color: "teal.9" },
  cancelled: { label: "Cancelled", color: "red.9" },
  refunded: { label: "Refunded", color: "grape.9" },
  partially_refunded: { label: "Partly refunded", color: "grape.9" },
};

//! An order's status as a customer reads it, and the colour of its badge.
export function orderStatus(status: PortalOrderSummary["status"]) {
  return statuses[status] ?? { label: status, color: "gray.7" };
}

//! A day as the locale writes it ("1 Mar 2026"), from a timestamp.
export function formatDate(iso: string, locale?: string): string {
  return new Date(iso).toLocaleDateString(locale, { dateStyle: "medium" });
}

//! Signed points with a true minus sign: +58, −30, 0.
export function pointsText(points: number, locale?: string): string {
  const figure = Math.abs(points).toLocaleString(locale);
  return points > 0 ? `+${figure}` : points < 0 ? `\u2212${figure}` : figure;
}

//! What a ledger entry was, in words; `orderNumber` names its order when the page knows it.
export function entryText(entry: PortalLoyaltyEntry, orderNumber?: string): string {
  const order = orderNumber ? `order ${orderNumber}` : "an order";
  switch (entry.kind) {
    case "earn":
      return `Earned on ${order}`;
    case "reverse":
      return `Taken back: ${order} was cancelled or refunded`;
    case "redeem":
      return entry.reason ? `Spent: ${entry.reason}` : "Spent";
    case "expire":
      return "Expired";
    case "adjust":
      return entry.reason ? `${entry.points >= 0 ? "Added" : "Removed"}: ${entry.reason}` :
        entry.points >= 0 ? "Added by the shop" : "Removed by the shop";
    default:
      return entry.kind;
  }
}

//! "20 points expire on 31 Dec 2026", or null when no points expire.
export function expiryText(loyalty: Pick<PortalLoyalty, "next_expiry">, locale?: string): string | null {
  const next = loyalty.next_expiry;
  if (!next) return null;
  const points = next.points.toLocaleString(locale);
  return `${points} ${next.points === 1 ? "point expires" : "points expire"} on ${formatDate(next.at, locale)}`;
}
