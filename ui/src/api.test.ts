import { describe, expect, it } from "vitest";

import { ApiError, problemText } from "./api";

describe("problemText", () => {
  it("says how long a locked-out sign-in must wait", () => {
    expect(problemText(new ApiError(429, "Too many failed sign-ins.", [], 30))).toBe(
      "Too many failed sign-ins. Try again in 30 seconds.",
    );
  });
  it("passes the server's own words on", () => {
    expect(problemText(new ApiError(401, "The e-mail or the password is wrong."))).toBe(
      "The e-mail or the password is wrong.",
    );
  });
  it("explains a network failure in plain words", () => {
    expect(problemText(new TypeError("Failed to fetch"))).toMatch(/cannot be reached/);
  });
});
