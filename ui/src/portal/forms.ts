// The portal forms' logic, kept apart from the screens so it can be tested: the profile form's
// values to and from the API's merge patch, and a failed request turned into field errors and
// plain words.
import dayjs from "dayjs";

import { ApiError, PortalCustomer, problemText } from "../api";
import { PostalValues, postalValues } from "../customers/customerForm";

//! The password rule as the server applies it (NIST SP 800-63B): length only, and a blocklist.
export const passwordRule =
  "At least 8 characters; spaces and any symbols are fine. The 10,000 most common passwords are refused.";

//! A new password checked before it is sent: its length. The server checks it again, and alone knows
//! the common passwords.
export function checkNewPassword(label: string, password: string) {
  return [...password].length >= 8 ? null : `${label} must have at least 8 characters`;
}

//! The confirmation of a new password checked before it is sent.
export function checkConfirmation(label: string, confirmation: string, password: string) {
  return confirmation === password ? null : `${label} does not match the password`;
}

export const conflictText =
  "Your details were changed somewhere else (on another device, or by the business) since this page " +
  "loaded. Reload them, then make your changes again.";

export interface FormFailure {
  //! Messages for the form's fields, by the field's path (as the server names it: "address.state").
  fields: Record<string, string>;
  //! What to say above the form, if anything.
  alert: string | null;
  //! The record changed since it was read (412): the form should offer to reload it.
  conflict: boolean;
}

// The server's messages sometimes point a developer to a route ("(see /api/countries/DE/...)"):
// useful in the API, noise in a form.
function forPeople(message: string) {
  return message.replace(/\s*\(see \/api\/[^)]*\)/g, "");
}

//! Turns a failed request into errors on the fields the form has (`labels`: the server's field
//! name → the field's label) and a message for everything else.
export function formFailure(failure: unknown, labels: Record<string, string>): FormFailure {
  if (failure instanceof ApiError && failure.status === 412) {
    return { fields: {}, alert: conflictText, conflict: true };
  }
  if (!(failure instanceof ApiError) || failure.errors.length === 0) {
    return { fields: {}, alert: problemText(failure), conflict: false };
  }
  const fields: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const { field, message } of failure.errors) {
    const label = labels[field];
    if (label) fields[field] = `${label} ${forPeople(message)}`;
    else elsewhere.push(`${field} ${forPeople(message)}`);
  }
  // A validation failure's detail only counts the fields; any other status says something more.
  const lines = failure.status === 422 ? [] : [failure.message];
  if (elsewhere.length) lines.push(...elsewhere);
  return { fields, alert: lines.length ? lines.join(" ") : null, conflict: false };
}

export interface ProfileValues {
  name: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  mobile: string;
  birthdate: Date | null;
  gender: string | null;
  locale: string | null;
  address: PostalValues;
}

export const profileLabels: Record<string, string> = {
  name: "Full name",
  first_name: "First name",
  last_name: "Last name",
  email: "E-mail",
  phone: "Phone",
  mobile: "Mobile",
  birthdate: "Date of birth",
  gender: "Gender",
  locale: "Preferred language",
  "address.street": "Street and number",
  "address.street2": "Address line 2",
  "address.city": "City",
  "address.postal_code": "Postal code",
  "address.country": "Country",
  "address.state": "State or region",
};

export const genderOptions = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "non_binary", label: "Non-binary" },
  { value: "other", label: "Other" },
  { value: "prefer_not_to_say", label: "Prefer not to say" },
];

const isoDate = "YYYY-MM-DD";

export function profileValues(c: PortalCustomer): ProfileValues {
  return {
    name: c.name,
    first_name: c.first_name ?? "",
    last_name: c.last_name ?? "",
    email: c.email ?? "",
    phone: c.phone ?? "",
    mobile: c.mobile ?? "",
    // A date without a time: local midnight, so the picker shows the same day in any time zone.
    birthdate: c.birthdate ? dayjs(c.birthdate).toDate() : null,
    gender: c.gender,
    locale: c.locale,
    address: postalValues(c.address),
  };
}

// A text field as the API takes it: trimmed, and empty meaning "none".
function text(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

//! The merge patch (PATCH …/me) that turns the stored profile into the form's values: only what
//! changed, so a field the form did not touch is never written back.
export function profilePatch(stored: PortalCustomer, values: ProfileValues): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const name = values.name.trim();
  if (name !== stored.name) patch.name = name;
  for (const key of ["first_name", "last_name", "email", "phone", "mobile"] as const) {
    const next = text(values[key]);
    if (next !== stored[key]) patch[key] = next;
  }
  const birthdate = values.birthdate ? dayjs(values.birthdate).format(isoDate) : null;
  if (birthdate !== stored.birthdate) patch.birthdate = birthdate;
  for (const key of ["gender", "locale"] as const) {
    const next = values[key] || null;
    if (next !== stored[key]) patch[key] = next;
  }
  const address: Record<string, string | null> = {};
  for (const key of ["street", "street2", "city", "postal_code"] as const) {
    const next = text(values.address[key]);
    if (next !== stored.address[key]) address[key] = next;
  }
  const country = values.address.country || null;
  const state = values.address.state || null;
  if (country !== stored.address.country) {
    // A state belongs to its country: a new country always says what its state is.
    address.country = country;
    address.state = state;
  } else if (state !== stored.address.state) {
    address.state = state;
  }
  if (Object.keys(address).length) patch.address = address;
  return patch;
}

// Languages offered besides the browser's own: the most spoken ones, and the common regional forms.
const commonLocales = [
  "en", "en-US", "en-GB", "de", "de-DE", "de-AT", "de-CH", "fr", "fr-FR", "fr-CA", "es", "es-ES", "es-MX",
  "it", "nl", "pt", "pt-BR", "pt-PT", "pl", "sv", "da", "nb", "fi", "cs", "el", "tr", "ru", "uk", "ar",
  "he", "hi", "bn", "id", "th", "vi", "zh-CN", "zh-TW", "ja", "ko",
];

//! The choices of the language select: BCP 47 tags named in the browser's language, the browser's
//! preferred ones first, and the stored value even when it is not a common one.
export function localeOptions(stored: string | null, preferred: readonly string[] = []) {
  const names = new Intl.DisplayNames(preferred.length ? [...preferred] : ["en"], { type: "language" });
  const label = (tag: string) => {
    try {
      return names.of(tag) ?? tag;
    } catch {
      return tag;  // not a tag Intl knows
    }
  };
  const tags = [...new Set([...(stored ? [stored] : []), ...preferred, ...commonLocales])];
  const first = new Set([...(stored ? [stored] : []), ...preferred]);
  const sorted = tags
    .map((tag) => ({ value: tag, label: `${label(tag)} (${tag})` }))
    .sort((a, b) => Number(first.has(b.value)) - Number(first.has(a.value)) || a.label.localeCompare(b.label));
  return sorted;
}
