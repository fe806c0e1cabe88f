import { describe, expect, it } from "vitest";

import { ApiError, PortalCustomer } from "../api";
import { checkConfirmation, checkNewPassword, formFailure, localeOptions, profilePatch, profileValues } from "./forms";

const stored: PortalCustomer = {
  id: 7, account_type: "individual", name: "Pat Portal", first_name: null, last_name: null,
  email: "pat@mail.example", phone: null, mobile: "+1 555 0100", birthdate: "1990-04-01", gender: null,
  locale: "en-US",
  address: { street: "1 Main St", street2: null, city: "Springfield", postal_code: "12345", state: "IL", country: "US" },
  job_title: null, company: null, loyalty_points: 250, loyalty_tier: null, portal_last_login: null, version: 3,
  created_at: "2026-11-24T05:05:06.123Z",
};

describe("profileValues and profilePatch", () => {
  it("sends nothing when nothing changed", () => {
    expect(profilePatch(stored, profileValues(stored))).toEqual({});
  });
  it("keeps the birthdate's day whatever the time zone", () => {
    const values = profileValues(stored);
    expect(values.birthdate?.getDate()).toBe(1);
    expect(values.birthdate?.getMonth()).toBe(3);
  });
  it("sends only what changed, trimmed, with empty meaning none", () => {
    const values = profileValues(stored);
    values.name = "  Pat Q. Portal ";
    values.first_name = " Pat ";
    values.mobile = "   ";
    values.birthdate = new Date(1991, 11, 31);
    values.gender = "non_binary";
    values.address.city = "Shelbyville";
    expect(profilePatch(stored, values)).toEqual({
      name: "Pat Q. Portal", first_name: "Pat", mobile: null, birthdate: "1991-12-31", gender: "non_binary",
      address: { city: "Shelbyville" },
    });
  });
  it("sends the state with a new country, even when none was chosen", () => {
    const values = profileValues(stored);
    values.address.country = "DE";
    values.address.state = null;
    expect(profilePatch(stored, values)).toEqual({ address: { country: "DE", state: null } });
    values.address.state = "BY";
    expect(profilePatch(stored, values)).toEqual({ address: { country: "DE", state: "BY" } });
  });
  it("sends a new state of the same country alone", () => {
    const values = profileValues(stored);
    values.address.state = "CA";
    expect(profilePatch(stored, values)).toEqual({ address: { state: "CA" } });
  });
  it("clears the birthdate, the gender and the language", () => {
    const values = profileValues({ ...stored, gender: "female" });
    values.birthdate = null;
    values.gender = null;
    values.locale = null;
    expect(profilePatch({ ...stored, gender: "female" }, values)).toEqual({ birthdate: null, gender: null, locale: null });
  });
});

describe("formFailure", () => {
  const labels = { password: "Password", password_confirmation: "Confirm password", "address.state": "State or region" };
  it("puts the server's field errors on their fields, after the field's label", () => {
    const failure = new ApiError(422, "The request has 2 invalid fields.", [
      { field: "password", message: "is one of the 10,000 most common passwords; choose another" },
      { field: "password_confirmation", message: "does not match the password" },
    ]);
    expect(formFailure(failure, labels)).toEqual({
      fields: {
        password: "Password is one of the 10,000 most common passwords; choose another",
        password_confirmation: "Confirm password does not match the password",
      },
      alert: null,
      conflict: false,
    });
  });
  it("leaves out the developer's pointer to a route", () => {
    const failure = new ApiError(422, "Invalid value for address.state", [
      { field: "address.state", message: "must be an ISO 3166-2 subdivision of DE (see /api/countries/DE/subdivisions)" },
    ]);
    expect(formFailure(failure, labels).fields["address.state"]).toBe("State or region must be an ISO 3166-2 subdivision of DE");
  });
  it("says a conflict's detail above the form, and a field the form lacks", () => {
    const failure = new ApiError(409, "This e-mail address cannot be registered here.", [
      { field: "email", message: "is already registered" },
    ]);
    expect(formFailure(failure, labels)).toEqual({
      fields: {}, alert: "This e-mail address cannot be registered here. email is already registered", conflict: false,
    });
    expect(formFailure(failure, { email: "E-mail" })).toEqual({
      fields: { email: "E-mail is already registered" }, alert: "This e-mail address cannot be registered here.", conflict: false,
    });
  });
  it("offers a reload when the record changed meanwhile", () => {
    const result = formFailure(new ApiError(412, "The customer has changed since version 1 (now 2)"), labels);
    expect(result.conflict).toBe(true);
    expect(result.alert).toMatch(/Reload/);
  });
  it("says how long a locked-out sign-in waits", () => {
    expect(formFailure(new ApiError(429, "Too many", [], 30), labels).alert).toBe(
      "Too many failed sign-ins. Try again in 30 seconds.");
  });
});

describe("new passwords", () => {
  it("needs 8 characters, counted as people count them", () => {
    expect(checkNewPassword("Password", "short")).toBe("Password must have at least 8 characters");
    expect(checkNewPassword("Password", "ünïcödé!")).toBeNull();
    expect(checkNewPassword("Password", "😀😀😀😀")).not.toBeNull();  // 4 characters, 8 UTF-16 units
  });
  it("needs the confirmation to match", () => {
    expect(checkConfirmation("Confirm password", "a", "b")).toBe("Confirm password does not match the password");
    expect(checkConfirmation("Confirm password", "same one", "same one")).toBeNull();
  });
});

describe("localeOptions", () => {
  it("names languages, with the stored and the browser's ones first", () => {
    const options = localeOptions("pt-BR", ["de-CH"]);
    expect(options[0].value === "pt-BR" || options[0].value === "de-CH").toBe(true);
    expect(options.slice(0, 2).map((o) => o.value).sort()).toEqual(["de-CH", "pt-BR"]);
    expect(options.find((o) => o.value === "en-GB")?.label).toMatch(/\(en-GB\)$/);
    expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
  });
  it("keeps a stored tag that Intl cannot name", () => {
    expect(localeOptions("x-klingon").some((o) => o.value === "x-klingon")).toBe(true);
  });
});
