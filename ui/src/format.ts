// Times and days as people read them: in their own time zone and locale, and how long ago.

//! A moment in local time ("12 Mar 2026, 14:05"); null for none.
export function formatWhen(iso: string | null): string | null {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : null;
}

//! The local day of a moment ("12 Mar 2026"); null for none.
export function formatDate(iso: string | null): string | null {
  return iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" }) : null;
}

//! A calendar day (YYYY-MM-DD) as the locale writes it, with no time zone shift.
export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { dateStyle: "medium" });
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600], ["month", 30 * 24 * 3600], ["week", 7 * 24 * 3600], ["day", 24 * 3600],
  ["hour", 3600], ["minute", 60],
];

//! How long ago (or how far ahead) a moment is, in the largest whole unit: "5 minutes ago",
//! "yesterday", "in 2 hours"; "just now" within a minute.
export function relativeTime(iso: string, now: Date = new Date(), locale?: string): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}
