import { MantineProvider } from "@mantine/core";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { JobProgressBar } from "./JobProgressBar";

function bar(progress: { done: number; total: number | null }, state: "running" | "queued" = "running") {
  render(<MantineProvider><JobProgressBar job={{ progress, state }} label="Export 1 progress" /></MantineProvider>);
  return screen.getByRole("progressbar", { name: "Export 1 progress" });
}

describe("a job's progress bar", () => {
  // jsdom has no matchMedia, which Mantine's colour scheme asks.
  beforeAll(() => vi.stubGlobal("matchMedia", () => ({ matches: false, addEventListener() {}, removeEventListener() {} })));
  afterEach(cleanup);

  it("says the share done once the total is known", () => {
    expect(bar({ done: 30, total: 120 }).getAttribute("aria-valuenow")).toBe("25");
  });

  it("claims no share while the total is unknown", () => {
    expect(bar({ done: 0, total: null }).hasAttribute("aria-valuenow")).toBe(false);
  });
});
