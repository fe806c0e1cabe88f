import { describe, expect, it } from "vitest";

import { relativeTime } from "./format";

describe("how long ago", () => {
  const now = new Date("2026-03-12T12:00:00Z");
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

  it("says it in the largest whole unit", () => {
    expect(relativeTime(ago(10), now, "en")).toBe("just now");
    expect(relativeTime(ago(5 * 60), now, "en")).toBe("5 minutes ago");
    expect(relativeTime(ago(3 * 3600 + 59), now, "en")).toBe("3 hours ago");
    expect(relativeTime(ago(26 * 3600), now, "en")).toBe("yesterday");
    expect(relativeTime(ago(400 * 24 * 3600), now, "en")).toBe("last year");
    expect(relativeTime(ago(-2 * 3600), now, "en")).toBe("in 2 hours");
  });
});
