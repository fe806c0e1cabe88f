// Background jobs as the UI shows them: a state's words and colour, progress as a share and in
// words, what may be done with a job, and an export's result. Pure functions, tested alone.
import type { Job, JobState } from "../api";

export const jobStates: { value: JobState; label: string; color: string }[] = [
  { value: "queued", label: "Queued", color: "gray" },
  { value: "running", label: "Running", color: "indigo" },
  { value: "done", label: "Done", color: "teal" },
  { value: "failed", label: "Failed, retrying", color: "orange" },
  { value: "dead", label: "Failed", color: "red" },
  { value: "cancelled", label: "Cancelled", color: "gray" },
];

export function stateOf(state: JobState) {
  return jobStates.find((s) => s.value === state) ?? { value: state, label: state, color: "gray" };
}

const kindWords: Record<string, string> = { "customers.export": "Customer export" };

//! The kinds the queue is known to hold in a workspace, for choosing one to filter by.
export const knownKinds = Object.keys(kindWords);

export function kindText(kind: string): string {
  return kindWords[kind] ?? kind;
}

//! Still to settle: the page looks again while a job is queued, running or waiting for its retry.
export function isActive(job: Pick<Job, "state">): boolean {
  return job.state === "queued" || job.state === "running" || job.state === "failed";
}

export const canRetry = (job: Pick<Job, "state">) => job.state === "failed" || job.state === "dead";
export const canCancel = (job: Pick<Job, "state">) => isActive(job);

//! The share done in percent (0–100), or null while the total is unknown.
export function progressPercent(job: Pick<Job, "progress" | "state">): number | null {
  if (job.state === "done") return 100;
  const { done, total } = job.progress;
  if (!total || total <= 0) return null;
  return Math.min(100, Math.max(0, Math.round((done / total) * 100)));
}

//! "120 of 500", or "120" while the total is unknown; null before anything is done.
export function progressText(job: Pick<Job, "progress">): string | null {
  const { done, total } = job.progress;
  if (total === null || total === undefined) return done > 0 ? done.toLocaleString() : null;
  return `${done.toLocaleString()} of ${total.toLocaleString()}`;
}

export interface ExportResult {
  download_url: string;
  expires_at: string;
  format: string;
  rows: number;
  bytes: number;
}

//! A finished export's result, or null (not done, not an export, or not the shape expected).
export function exportResult(job: Pick<Job, "state" | "result">): ExportResult | null {
  const result = job.result as Partial<ExportResult> | null;
  if (job.state !== "done" || !result || typeof result.download_url !== "string") return null;
  return {
    download_url: result.download_url,
    expires_at: String(result.expires_at ?? ""),
    format: String(result.format ?? ""),
    rows: Number(result.rows ?? 0),
    bytes: Number(result.bytes ?? 0),
  };
}

//! A size in bytes as people read it: "512 B", "4.2 kB", "1.3 MB".
export function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
