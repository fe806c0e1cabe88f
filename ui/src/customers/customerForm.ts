// The customer form's values and how they map to the API: a record into form values, form values
// into a create or update body, and the server's field errors back onto the form's fields.
import dayjs from "dayjs";

import { AccountType, ApiError, Customer, PostalAddress, Tag } from "../api";

//! The postal part that the customer form and the address modal share (see AddressFields).
export interface PostalValues {
  street: string;
  street2: string;
  city: string;
  postal_code: string;
  country: string | null;
  state: string | null;
}

export type PostalField = keyof PostalValues;

//! An individual's company: one that exists (`id`) or one to create with the record (`id` null).
export interface CompanyChoice {
  id: number | null;
  name: string;
}

export interface CustomerFormValues extends PostalValues {
  account_type: AccountType;
  name: string;
  company: CompanyChoice | null;
  tax_id: string;
  job_title: string;
  phone: string;
  mobile: string;
  email: string;
  website: string;
  title_id: string | null;  // Mantine's Select works with strings; ids become numbers in the body
  tags: Tag[];  // whole tags, so the picked ones show in their colours
  birthdate: Date | null;
  gender: string | null;
  responsible_id: string | null;
  company_registry: string;
  reference: string;
  industry_id: string | null;
  notes: string;
}

export const genders = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "non_binary", label: "Non-binary" },
  { value: "other", label: "Other" },
  { value: "prefer_not_to_say", label: "Prefers not to say" },
];

export function emptyPostal(): PostalValues {
  return { street: "", street2: "", city: "", postal_code: "", country: null, state: null };
}

//! An address as the form edits it: its texts as strings ("" for none), country and state as codes.
export function postalValues(a: PostalAddress): PostalValues {
  return {
    street: a.street ?? "",
    street2: a.street2 ?? "",
    city: a.city ?? "",
    postal_code: a.postal_code ?? "",
    country: a.country,
    state: a.state,
  };
}

export function emptyCustomerValues(accountType: AccountType = "individual"): CustomerFormValues {
  return {
    ...emptyPostal(),
    account_type: accountType,
    name: "",
    company: null,
    tax_id: "",
    job_title: "",
    phone: "",
    mobile: "",
    email: "",
    website: "",
    title_id: null,
    tags: [],
    birthdate: null,
    gender: null,
    responsible_id: null,
    company_registry: "",
    reference: "",
    industry_id: null,
    notes: "",
  };
}

const idText = (ref: { id: number } | null) => (ref ? String(ref.id) : null);

export function customerValues(customer: Customer): CustomerFormValues {
  return {
    ...postalValues(customer.address),
    account_type: customer.account_type,
    name: customer.name,
    company: customer.company ? { id: customer.company.id, name: customer.company.name } : null,
    tax_id: customer.tax_id ?? "",
    job_title: customer.job_title ?? "",
    phone: customer.phone ?? "",
    mobile: customer.mobile ?? "",
    email: customer.email ?? "",
    website: customer.website ?? "",
    title_id: idText(customer.title),
    tags: customer.tags,
    birthdate: customer.birthdate ? dayjs(customer.birthdate).toDate()  /* a local date, as DateInput shows it */ : null,
    gender: customer.gender,
    responsible_id: idText(customer.responsible),
    company_registry: customer.company_registry ?? "",
    reference: customer.reference ?? "",
    industry_id: idText(customer.industry),
    notes: customer.notes ?? "",
  };
}

const text = (value: string) => (value.trim() === "" ? null : value.trim());
const id = (value: string | null) => (value ? Number(value) : null);

//! The body of POST /api/customers (`mode` "create": only what was filled in) or of
//! PUT /api/customers/{id} ("update": every field the form shows, null for the emptied ones, so
//! clearing a field clears it on the server; fields the form does not show are left out and keep
//! their value).
export function customerBody(values: CustomerFormValues, mode: "create" | "update"): Record<string, unknown> {
  const individual = values.account_type === "individual";
  const body: Record<string, unknown> = {
    account_type: values.account_type,
    name: values.name.trim(),
    tax_id: text(values.tax_id),
    phone: text(values.phone),
    mobile: text(values.mobile),
    email: text(values.email),
    website: text(values.website),
    title_id: id(values.title_id),
    tag_ids: values.tags.map((t) => t.id),
    address: mode === "create" ? compactPostal(values) : postalBody(values),
    responsible_id: id(values.responsible_id),
    company_registry: text(values.company_registry),
    reference: text(values.reference),
    industry_id: id(values.industry_id),
    notes: text(values.notes),
  };
  if (individual) {
    body.job_title = text(values.job_title);
    body.birthdate = values.birthdate ? dayjs(values.birthdate).format("YYYY-MM-DD") : null;
    body.gender = values.gender;
    if (values.company?.id != null) body.company_id = values.company.id;
    else if (values.company) body.company_name = values.company.name.trim();
    else body.company_id = null;
  } else {
    // Only an individual belongs to a company: a record turned into a company leaves its company.
    body.company_id = null;
  }
  if (mode === "update") return body;
  return Object.fromEntries(
    Object.entries(body).filter(([key, value]) => {
      if (value === null) return false;
      if (key === "tag_ids") return (value as number[]).length > 0;
      if (key === "address") return Object.keys(value as object).length > 0;
      return true;
    }),
  );
}

//! The address object of a body: every part on update (null when empty), only the filled ones on
//! create; the state only with a country, which it belongs to.
export function postalBody(values: PostalValues): Record<string, string | null> {
  return {
    street: text(values.street),
    street2: text(values.street2),
    city: text(values.city),
    postal_code: text(values.postal_code),
    country: values.country,
    state: values.country ? values.state : null,
  };
}

export function compactPostal(values: PostalValues): Record<string, string> {
  return Object.fromEntries(
    Object.entries(postalBody(values)).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

//! The form field that shows the server's error about a body field (`address.state` → `state`).
const formFieldOf: Record<string, string> = {
  company_id: "company",
  company_name: "company",
  tag_ids: "tags",
  avatar: "avatar",
};

//! How the form calls each field, to say the server's "must be a valid email address" as
//! "E-mail must be a valid email address" under the field.
export const fieldLabels: Record<string, string> = {
  account_type: "The type",
  name: "Name",
  company: "Company",
  tax_id: "Tax ID",
  job_title: "Job title",
  phone: "Phone",
  mobile: "Mobile",
  email: "E-mail",
  website: "Website",
  title_id: "Title",
  tags: "Tags",
  birthdate: "Birthdate",
  gender: "Gender",
  street: "Street",
  street2: "Street 2",
  city: "City",
  postal_code: "Postal code",
  country: "Country",
  state: "State",
  responsible_id: "Responsible",
  company_registry: "Company ID",
  reference: "Reference",
  industry_id: "Industry",
  notes: "Notes",
  avatar: "The image",
  full_name: "Full name",
  type: "Address type",
  is_default_invoice: "Default invoice address",
  is_default_delivery: "Default delivery address",
};

export interface MappedErrors {
  fields: Record<string, string>;  // form field → a sentence to show under it
  other: string[];  // errors about fields the form does not show, said in the alert
}

//! Spreads an API error's `errors` over the form's fields; what matches no field is kept apart.
export function fieldErrors(error: unknown, shown: readonly string[]): MappedErrors {
  const mapped: MappedErrors = { fields: {}, other: [] };
  if (!(error instanceof ApiError)) return mapped;
  for (const { field, message } of error.errors) {
    const bare = field.startsWith("address.") ? field.slice("address.".length) : field;
    const formField = formFieldOf[bare] ?? bare;
    // The server names other fields by their path ("needs address.country"): say them as the form does.
    const words = message.replace(/\baddress\.(\w+)/g, (path, part: string) =>
      fieldLabels[part] ? `the ${fieldLabels[part].toLowerCase()}` : path);
    // A conflict about one field (a taken e-mail, a company that still has contacts) is best said
    // by the server's detail, which tells what to do.
    const sentence = error.status === 409 && error.errors.length === 1 ? error.message
      : `${fieldLabels[formField] ?? field} ${words}`;
    if (shown.includes(formField) && !mapped.fields[formField]) mapped.fields[formField] = sentence;
    else mapped.other.push(sentence);
  }
  return mapped;
}

export const customerFormFields = Object.keys(emptyCustomerValues()).concat("avatar");
