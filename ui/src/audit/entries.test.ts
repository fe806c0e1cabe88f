import { describe, expect, it } from "vitest";

import { formatWhen } from "../format";
import { actionText, actorText, changeList, entityText, fieldLabel, valueText } from "./entries";

describe("an audit entry in words", () => {
  it("says the action as people would", () => {
    expect(actionText("customer.updated")).toBe("Updated");
    expect(actionText("customer.archived")).toBe("Archived");
    expect(actionText("customer.address_added")).toBe("Address added");
    expect(actionText("customer.portal_access_revoked")).toBe("Portal access removed");
    expect(actionText("user.role_changed")).toBe("Role changed");
    expect(actionText("auth.sign_in_failed")).toBe("Sign-in failed");
    expect(actionText("cart.updated")).toBe("Cart updated");  // on the customer, not "Updated"
    expect(actionText("cart.cleared")).toBe("Cart cleared");
    expect(actionText("orders.something_new")).toBe("Something new");  // an action added later
  });

  it("names the actor with its kind, and the system alone", () => {
    expect(actorText({ kind: "user", id: 3, name: "Ann Admin" })).toBe("Ann Admin (user)");
    expect(actorText({ kind: "api_token", id: 9, name: "Ann Admin" })).toBe("Ann Admin (api token)");
    expect(actorText({ kind: "portal_customer", id: 4, name: "Bo" })).toBe("Bo (portal customer)");
    expect(actorText({ kind: "system", id: null, name: "system" })).toBe("System");
    expect(entityText("platform_setting")).toBe("Platform setting");
    expect(entityText("token")).toBe("API token");
  });

  it("names nested and numbered fields readably", () => {
    expect(fieldLabel("name")).toBe("Name");
    expect(fieldLabel("email")).toBe("E-mail");
    expect(fieldLabel("address.city")).toBe("Address › City");
    expect(fieldLabel("address.postal_code")).toBe("Address › Postal code");
    expect(fieldLabel("addresses.12.street2")).toBe("Address #12 › Street, line 2");
    expect(fieldLabel("tax_id")).toBe("Tax ID");
  });

  it("shows values as they read, masked ones as they come", () => {
    expect(valueText("•••")).toBe("•••");
    expect(valueText("Berlin")).toBe("Berlin");
    expect(valueText(null)).toBeNull();
    expect(valueText("")).toBeNull();
    expect(valueText([])).toBeNull();
    expect(valueText(true)).toBe("Yes");
    expect(valueText(false)).toBe("No");
    expect(valueText(42)).toBe("42");
    expect(valueText([{ id: 1, name: "VIP", color: "#fab005" }, { id: 2, name: "Wholesale" }])).toBe("VIP, Wholesale");
    expect(valueText({ id: 3, short_name: "Mr." })).toBe("Mr.");
    expect(valueText({ type: "image/png", size: 120 })).toBe('{"type":"image/png","size":120}');
    expect(valueText("2026-03-12T14:05:00.000Z")).toBe(formatWhen("2026-03-12T14:05:00.000Z"));
  });

  it("lists the changes in the server's order, without a nested record's id beside its name", () => {
    const changes = changeList({
      name: { from: "Ann", to: "Anna" },
      "title.id": { from: null, to: 3 },
      "title.name": { from: null, to: "Doctor" },
      "company.id": { from: 4, to: 5 },
      notes: { from: "•••", to: "•••" },
    });
    expect(changes).toEqual([
      { field: "name", label: "Name", from: "Ann", to: "Anna" },
      { field: "title.name", label: "Title › Name", from: null, to: "Doctor" },
      { field: "company.id", label: "Company › Id", from: "4", to: "5" },  // alone, it is all there is
      { field: "notes", label: "Notes", from: "•••", to: "•••" },
    ]);
  });
});
