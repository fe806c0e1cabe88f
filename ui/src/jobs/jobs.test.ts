import { describe, expect, it } from "vitest";

import type { Job } from "../api";
import { canCancel, canRetry, exportResult, isActive, kindText, progressPercent, progressText, sizeText, stateOf } from "./jobs";

const job = (patch: Partial<Job>): Job => ({
  id: 1, kind: "customers.export", state: "running", progress: { done: 0, total: null }, error: null, result: null,
  attempts: 1, max_attempts: 5, run_at: "2026-03-01T10:00:00.000Z", created_at: "2026-03-01T10:00:00.000Z",
  updated_at: "2026-03-01T10:00:00.000Z", finished_at: null, ...patch,
});

describe("a job as the UI shows it", () => {
  it("has progress as a share once its total is known", () => {
    expect(progressPercent(job({ progress: { done: 120, total: 480 } }))).toBe(25);
    expect(progressPercent(job({ progress: { done: 3, total: null } }))).toBeNull();
    expect(progressPercent(job({ progress: { done: 0, total: 0 } }))).toBeNull();
    expect(progressPercent(job({ state: "done", progress: { done: 0, total: 0 } }))).toBe(100);
    expect(progressText(job({ progress: { done: 120, total: 480 } }))).toBe("120 of 480");
    expect(progressText(job({ progress: { done: 0, total: null } }))).toBeNull();
  });

  it("is retried when it failed and cancelled while it has not settled", () => {
    expect(["queued", "running", "failed"].map((state) => isActive(job({ state: state as Job["state"] })))).toEqual([true, true, true]);
    expect(["done", "dead", "cancelled"].map((state) => isActive(job({ state: state as Job["state"] })))).toEqual([false, false, false]);
    expect(canRetry(job({ state: "dead" }))).toBe(true);
    expect(canRetry(job({ state: "failed" }))).toBe(true);
    expect(canRetry(job({ state: "done" }))).toBe(false);
    expect(canCancel(job({ state: "running" }))).toBe(true);
    expect(canCancel(job({ state: "cancelled" }))).toBe(false);
    expect(stateOf("dead")).toMatchObject({ label: "Failed", color: "red" });
    expect(kindText("customers.export")).toBe("Customer export");
    expect(kindText("test.touch")).toBe("test.touch");
  });

  it("offers a finished export's download, and nothing for another", () => {
    const result = { download_url: "/api/customers/exports/1/download", expires_at: "x", format: "csv", rows: 4, bytes: 900 };
    expect(exportResult(job({ state: "done", result: result as unknown as Job["result"] }))).toEqual(result);
    expect(exportResult(job({ state: "running", result: null }))).toBeNull();
    expect(exportResult(job({ state: "done", result: { touched: 1 } as unknown as Job["result"] }))).toBeNull();
    expect([512, 4200, 1_300_000, 25_000_000].map(sizeText)).toEqual(["512 B", "4.2 kB", "1.3 MB", "25 MB"]);
  });
});
