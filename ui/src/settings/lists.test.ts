import { describe, expect, it } from "vitest";

import { ApiError } from "../api";
import {
  deleteFailureText, fieldErrors, formValues, industrySpec, requestBody, tagSpec, titleSpec, validateValues,
} from "./lists";

const vip = { id: 1, name: "VIP", color: "#fab005" };

describe("the settings forms", () => {
  it("start empty for a new entry and with the entry's values for an edit", () => {
    expect(formValues(tagSpec)).toEqual({ name: "", color: "" });
    expect(formValues(tagSpec, vip)).toEqual({ name: "VIP", color: "#fab005" });
  });

  it("leave a new tag's colour to the server when none is chosen", () => {
    expect(requestBody(tagSpec, { name: " Gold ", color: "" })).toEqual({ name: "Gold" });
    expect(requestBody(tagSpec, { name: "Gold", color: "#E8590C" })).toEqual({ name: "Gold", color: "#e8590c" });
    expect(requestBody(titleSpec, { name: "Sir", short_name: "" })).toEqual({ name: "Sir", short_name: "" });
  });

  it("send only what changed in an edit", () => {
    expect(requestBody(tagSpec, { name: "VIP customers", color: "#fab005" }, vip)).toEqual({ name: "VIP customers" });
    expect(requestBody(tagSpec, { name: "VIP", color: "#40C057" }, vip)).toEqual({ color: "#40c057" });
    expect(requestBody(tagSpec, { name: "VIP", color: "#fab005" }, vip)).toEqual({});
  });

  it("check what is required and the colour's form before asking the server", () => {
    expect(validateValues(tagSpec, { name: "", color: "" }, true)).toEqual({ name: "Name is required" });
    expect(validateValues(tagSpec, { name: "A", color: "" }, false)).toEqual({ color: "Colour is required" });
    expect(validateValues(tagSpec, { name: "A", color: "red" }, true))
      .toEqual({ color: "Colour must be a colour written #rrggbb" });
    expect(validateValues(industrySpec, { name: "Space", full_name: " " }, true))
      .toEqual({ full_name: "Full name is required" });
  });

  it("put the server's field errors on the fields in the form's words", () => {
    const taken = new ApiError(409, "There is a tag with this name already.", [{ field: "name", message: "is already used" }]);
    expect(fieldErrors(tagSpec, taken)).toEqual({ name: "Name is already used" });
    expect(fieldErrors(tagSpec, new TypeError("Failed to fetch"))).toEqual({});
  });
});

describe("deleting an entry in use", () => {
  const miss = { id: 2, name: "Miss", short_name: "Ms." };

  it("says who still has it, with the entry's name", () => {
    const inUse = new ApiError(409, "82 customer(s) have this title; give them another first.");
    expect(deleteFailureText(titleSpec, miss, inUse))
      .toBe("“Miss” cannot be deleted: 82 customers have this title. Give them another title first.");
    const once = new ApiError(409, "1 customer(s) have this industry; give them another first.");
    expect(deleteFailureText(industrySpec, { id: 6, name: "Construction", full_name: "Construction" }, once))
      .toBe("“Construction” cannot be deleted: 1 customer has this industry. Give that customer another industry first.");
  });

  it("passes other failures on in the server's words", () => {
    expect(deleteFailureText(titleSpec, miss, new ApiError(403, "You may not change the workspace's settings.")))
      .toBe("You may not change the workspace's settings.");
  });

  it("says what deleting a tag does to its customers", () => {
    expect(tagSpec.deleteEffect(6)).toBe("It is taken off the 6 customers that have it.");
    expect(tagSpec.deleteEffect(1)).toBe("It is taken off the customer that has it.");
    expect(tagSpec.deleteEffect(0)).toBe("No customer has it.");
  });
});
