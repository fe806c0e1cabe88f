// The audit trail's entries in words: what was done ("Address added"), by whom ("Ann (user)"),
// which fields changed and their values as people read them. Pure functions, tested alone; the
// History tab and Settings › Audit log show entries through them.
import type { AuditEvent } from "../api";
import { formatDay, formatWhen } from "../format";

type ActorKind = AuditEvent["actor"]["kind"];

export const actorKinds: { value: ActorKind; label: string }[] = [
  { value: "user", label: "User" },
  { value: "client", label: "Client login" },
  { value: "api_token", label: "API token" },
  { value: "portal_customer", label: "Portal customer" },
  { value: "system", label: "System" },
  { value: "anonymous", label: "Anonymous" },
];

//! "Ann Admin (user)", "System".
export function actorText(actor: AuditEvent["actor"]): string {
  const kind = actorKinds.find((k) => k.value === actor.kind)?.label ?? humanised(actor.kind);
  if (actor.kind === "system" || !actor.name) return kind;
  return `${actor.name} (${kind.toLowerCase()})`;
}

// Whole actions first (sign-ins are recorded on users and customers alike), then what follows the
// entity; anything else reads as its words ("some_thing" → "Some thing").
const actionWords: Record<string, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_out": "Signed out",
  "auth.sign_in_failed": "Sign-in failed",
  // On the customer: "Updated" alone would read as a change of the customer's own record.
  "cart.updated": "Cart updated",
  "cart.cleared": "Cart cleared",
  "cart.merged": "Guest cart merged into the cart",
  created: "Created",
  updated: "Updated",
  archived: "Archived",
  restored: "Restored",
  deleted: "Deleted",
  removed: "Removed",
  address_added: "Address added",
  address_updated: "Address updated",
  address_removed: "Address removed",
  avatar_changed: "Avatar changed",
  avatar_removed: "Avatar removed",
  registered: "Registered on the portal",
  portal_invited: "Invited to the portal",
  portal_joined: "Joined the portal",
  portal_access_revoked: "Portal access removed",
  password_changed: "Password changed",
  password_reset: "Password reset",
  invited: "Invited",
  invitation_sent: "Invitation sent",
  joined: "Joined",
  role_changed: "Role changed",
  activated: "Activated",
  deactivated: "Deactivated",
  reactivated: "Reactivated",
  revoked: "Revoked",
  queued: "Queued",
  retried: "Retried",
  cancelled: "Cancelled",
};

//! The action in words: "customer.address_added" → "Address added".
export function actionText(action: string): string {
  if (actionWords[action]) return actionWords[action];
  const what = action.slice(action.indexOf(".") + 1);
  return actionWords[what] ?? humanised(what);
}

const entityWords: Record<string, string> = {
  customer: "Customer", user: "User", client: "Client", tag: "Tag", title: "Title", industry: "Industry",
  token: "API token", job: "Job", platform_setting: "Platform setting",
};

//! The kinds of record the trail has, for choosing one.
export const entities = Object.entries(entityWords).map(([value, label]) => ({ value, label }));

export function entityText(entity: string): string {
  return entityWords[entity] ?? humanised(entity);
}

//! The actions the server records (docs/api.md "Audit trail"), for suggesting one to filter by.
export const actions = [
  "customer.*", "customer.created", "customer.updated", "customer.archived", "customer.restored",
  "customer.address_added", "customer.address_updated", "customer.address_removed", "customer.avatar_changed",
  "customer.avatar_removed", "customer.registered", "customer.portal_invited", "customer.portal_joined",
  "customer.portal_access_revoked", "customer.password_changed",
  "auth.*", "auth.sign_in", "auth.sign_out", "auth.sign_in_failed",
  "user.*", "user.invited", "user.updated", "user.removed", "user.role_changed", "user.deactivated",
  "user.reactivated", "user.invitation_sent", "user.joined", "user.password_changed",
  "tag.*", "title.*", "industry.*",
  "client.*", "client.created", "client.updated", "client.activated", "client.deactivated", "client.password_reset",
  "token.created", "token.revoked", "job.*", "job.queued", "job.retried", "job.cancelled",
  "cart.*", "cart.updated", "cart.cleared", "cart.merged",
];

const fieldWords: Record<string, string> = {
  email: "E-mail", tax_id: "Tax ID", company_registry: "Company ID", street2: "Street, line 2",
  is_default_invoice: "Default invoice address", is_default_delivery: "Default delivery address",
  deleted_at: "Archived", addresses: "Address", tags: "Tags", account_type: "Type", is_active: "Active",
  invitation_expires_at: "Invitation expires", joined_at: "Joined", revoked_at: "Revoked", user_id: "User",
  url: "Website",
};

function humanised(word: string): string {
  const words = word.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

//! A changed field's name as people read it: "address.city" → "Address › City",
//! "addresses.12.postal_code" → "Address #12 › Postal code".
export function fieldLabel(field: string): string {
  const parts: string[] = [];
  for (const segment of field.split(".")) {
    if (/^\d+$/.test(segment) && parts.length > 0) parts[parts.length - 1] += ` #${segment}`;
    else parts.push(fieldWords[segment] ?? humanised(segment));
  }
  return parts.join(" › ");
}

const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const day = /^\d{4}-\d{2}-\d{2}$/;

//! A value as a cell shows it; null for nothing (null, "", an empty list). Masked values ("•••")
//! stay as they came; times are local; a record (a tag, a company) goes by its name.
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    if (timestamp.test(value) && !Number.isNaN(Date.parse(value))) return formatWhen(value);
    if (day.test(value)) return formatDay(value);
    return value;
  }
  if (Array.isArray(value)) {
    const items = value.map(valueText).filter((v): v is string => v !== null);
    return items.length ? items.join(", ") : null;
  }
  const record = value as Record<string, unknown>;
  for (const key of ["name", "short_name", "email"]) {
    if (typeof record[key] === "string" && record[key]) return record[key] as string;
  }
  return JSON.stringify(value);
}

export interface Change {
  field: string;
  label: string;
  from: string | null;
  to: string | null;
}

//! An entry's changes in the server's order, each named and its values in words. A nested
//! record's `id` is left out when its other fields changed too (title.name says it better).
export function changeList(changes: AuditEvent["changes"]): Change[] {
  const fields = Object.keys(changes);
  return fields
    .filter((field) => {
      if (!field.endsWith(".id")) return true;
      const parent = field.slice(0, -"id".length);
      return !fields.some((other) => other !== field && other.startsWith(parent));
    })
    .map((field) => ({
      field,
      label: fieldLabel(field),
      from: valueText(changes[field].from),
      to: valueText(changes[field].to),
    }));
}
