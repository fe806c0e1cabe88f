import { describe, expect, it } from "vitest";

import { ApiError, Customer } from "../api";
import { contactBody, contactValues, emptyContactValues } from "./contactForm";
import { customerBody, customerFormFields, customerValues, emptyCustomerValues, fieldErrors } from "./customerForm";

const stored: Customer = {
  id: 7, account_type: "individual", name: "Jane Roe", first_name: null, last_name: null,
  email: "jane@roe.example", phone: "+49 30 123456", mobile: null, birthdate: "1990-04-01", gender: "female",
  locale: null, address: { street: "1 Main St", street2: null, city: "Berlin", postal_code: "10115", state: "BE", country: "DE" },
  company: { id: 3, name: "Roe Industries" }, tax_id: null, job_title: "Buyer", website: "https://roe.example",
  title: { id: 2, name: "Miss", short_name: "Ms." }, tags: [{ id: 5, name: "VIP", color: "#fab005" }],
  responsible: { id: 1, name: "Operator", email: "admin@example.com" }, company_registry: "C-1", reference: null,
  industry: { id: 9, name: "Retail" }, preferences: {}, notes: null, avatar: null, portal_access: false,
  portal_last_login: null, registered_via: "admin", loyalty_points: 0, loyalty_tier: null, order_count: 0, lifetime_value: 0,
  average_order_value: 0, refunded_amount: 0, first_order_at: null, last_order_at: null, purchase_history: [], version: 4,
  created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:00.000Z",
};

describe("customerBody", () => {
  it("sends only what was filled in on create, and a new company by its name", () => {
    const values = { ...emptyCustomerValues(), name: "  Jane Roe ", email: "jane@roe.example", city: "Berlin",
      country: "DE", state: "BE", company: { id: null, name: "Roe Industries " }, title_id: "2",
      tags: [{ id: 5, name: "VIP", color: "#fab005" }] };
    expect(customerBody(values, "create")).toEqual({
      account_type: "individual", name: "Jane Roe", email: "jane@roe.example", title_id: 2, tag_ids: [5],
      address: { city: "Berlin", country: "DE", state: "BE" }, company_name: "Roe Industries",
    });
  });

  it("links an existing company by id", () => {
    const values = { ...emptyCustomerValues(), name: "Bob", company: { id: 3, name: "Roe Industries" } };
    expect(customerBody(values, "create")).toMatchObject({ company_id: 3 });
    expect(customerBody(values, "create")).not.toHaveProperty("company_name");
  });

  it("leaves out a company's individual-only fields, and takes an ex-individual out of its company", () => {
    const values = { ...customerValues(stored), account_type: "company" as const };
    const body = customerBody(values, "update");
    expect(body.company_id).toBeNull();
    expect(body).not.toHaveProperty("job_title");
    expect(body).not.toHaveProperty("birthdate");
    expect(body).not.toHaveProperty("company_name");
    expect(customerBody({ ...emptyCustomerValues("company"), name: "Acme" }, "create")).toEqual({ account_type: "company", name: "Acme" });
  });

  it("clears emptied fields on update with null, the whole address included", () => {
    const values = { ...customerValues(stored), email: " ", street: "", country: null, tags: [], responsible_id: null };
    const body = customerBody(values, "update");
    expect(body.email).toBeNull();
    expect(body.tag_ids).toEqual([]);
    expect(body.responsible_id).toBeNull();
    // No country, no state: the state belongs to a country.
    expect(body.address).toEqual({ street: null, street2: null, city: "Berlin", postal_code: "10115", country: null, state: null });
  });

  it("round-trips a stored record unchanged", () => {
    const body = customerBody(customerValues(stored), "update");
    expect(body).toMatchObject({
      name: "Jane Roe", email: "jane@roe.example", company_id: 3, title_id: 2, tag_ids: [5], responsible_id: 1,
      industry_id: 9, birthdate: "1990-04-01", gender: "female", job_title: "Buyer", company_registry: "C-1",
      address: stored.address,
    });
  });
});

describe("fieldErrors", () => {
  const problem = new ApiError(422, "The request has 3 invalid fields.", [
    { field: "website", message: "must be a web address such as https://example.com" },
    { field: "address.state", message: "needs address.country" },
    { field: "company_name", message: "must not be empty" },
    { field: "preferences", message: "is too large" },
  ]);

  it("puts each error on the field that shows it, in a sentence", () => {
    const mapped = fieldErrors(problem, customerFormFields);
    expect(mapped.fields).toEqual({
      website: "Website must be a web address such as https://example.com",
      state: "State needs the country",
      company: "Company must not be empty",
    });
    expect(mapped.other).toEqual(["preferences is too large"]);
  });

  it("keeps errors about fields the form does not show apart", () => {
    const mapped = fieldErrors(problem, customerFormFields.filter((f) => f !== "company"));
    expect(mapped.other).toContain("Company must not be empty");
  });

  it("says a one-field conflict in the server's own words", () => {
    const taken = new ApiError(409, "Another customer already uses this e-mail address.",
      [{ field: "email", message: "is already used by another customer" }]);
    expect(fieldErrors(taken, customerFormFields).fields).toEqual({ email: "Another customer already uses this e-mail address." });
  });

  it("gives nothing for an error that is not the API's", () => {
    expect(fieldErrors(new TypeError("Failed to fetch"), customerFormFields)).toEqual({ fields: {}, other: [] });
  });
});

describe("contactBody", () => {
  it("creates with the filled fields and updates with all of them", () => {
    const values = { ...emptyContactValues(), name: "Bob Buyer", email: "bob@acme.example", title_id: "1" };
    expect(contactBody(values, "create")).toEqual({ name: "Bob Buyer", email: "bob@acme.example", title_id: 1 });
    expect(contactBody(values, "update")).toEqual({
      name: "Bob Buyer", email: "bob@acme.example", phone: null, mobile: null, title_id: 1, job_title: null, notes: null,
    });
  });

  it("reads a stored contact back into the modal", () => {
    expect(contactValues(stored)).toEqual({
      name: "Jane Roe", email: "jane@roe.example", phone: "+49 30 123456", mobile: "", title_id: "2", job_title: "Buyer", notes: "",
    });
  });
});
