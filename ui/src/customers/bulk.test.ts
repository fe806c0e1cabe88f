import { describe, expect, it } from "vitest";

import { ApiError, Customer } from "../api";
import { archiveFailureText, blockingContacts, countText, forEach, restoreFailureText } from "./bulk";

const customer = (id: number, name: string) => ({ id, name }) as Customer;
const hasContacts = new ApiError(409,
  "This company has 20 contact(s). Delete them first, or send ?cascade=contacts to archive them with the company.");

describe("bulk actions", () => {
  it("runs one customer after the other and keeps going past a failure", async () => {
    const seen: number[] = [];
    const progress: number[] = [];
    const outcomes = await forEach([customer(1, "A"), customer(2, "B"), customer(3, "C")], async (c) => {
      seen.push(c.id);
      if (c.id === 2) throw hasContacts;
    }, (done) => progress.push(done));
    expect(seen).toEqual([1, 2, 3]);
    expect(progress).toEqual([1, 2, 3]);
    expect(outcomes.map((o) => o.error === undefined)).toEqual([true, false, true]);
  });

  it("reads how many contacts kept a company from being archived", () => {
    expect(blockingContacts(hasContacts)).toBe(20);
    expect(blockingContacts(new ApiError(409, "Its e-mail is used by a live customer."))).toBeNull();
    expect(blockingContacts(new ApiError(404, "Not found"))).toBeNull();
  });

  it("says why in plain words, without the API's parameter names", () => {
    const text = archiveFailureText({ customer: customer(27, "Bennett Logistics"), error: hasContacts });
    expect(text).toBe("Bennett Logistics has 20 contacts, so it was not archived. " +
      "Archive its contacts first, or archive the company together with its contacts.");
    expect(text).not.toMatch(/cascade/);
    expect(archiveFailureText({ customer: customer(1, "Ann"), error: new ApiError(403, "You may not do this.") }))
      .toBe("Ann was not archived: You may not do this.");
    expect(restoreFailureText({ customer: customer(1, "Ann"), error: new ApiError(409, "The e-mail is taken.") }))
      .toBe("Ann was not restored: The e-mail is taken.");
  });

  it("counts in words", () => {
    expect(countText(1)).toBe("1 customer");
    expect(countText(3)).toBe("3 customers");
    expect(countText(1, "contact")).toBe("1 contact");
  });
});
