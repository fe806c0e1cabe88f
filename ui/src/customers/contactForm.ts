// A company's contact as the contact modal edits it, and its mapping to
// /api/customers/{id}/contacts (a contact is a customer: the same fields, fewer of them).
import { Customer } from "../api";

export interface ContactFormValues {
  name: string;
  email: string;
  phone: string;
  mobile: string;
  title_id: string | null;
  job_title: string;
  notes: string;
}

export const contactFields = ["name", "email", "phone", "mobile", "title_id", "job_title", "notes"] as const;

export function emptyContactValues(): ContactFormValues {
  return { name: "", email: "", phone: "", mobile: "", title_id: null, job_title: "", notes: "" };
}

export function contactValues(contact: Customer): ContactFormValues {
  return {
    name: contact.name,
    email: contact.email ?? "",
    phone: contact.phone ?? "",
    mobile: contact.mobile ?? "",
    title_id: contact.title ? String(contact.title.id) : null,
    job_title: contact.job_title ?? "",
    notes: contact.notes ?? "",
  };
}

//! POST takes what was filled in; PUT every field of the modal, null clearing an emptied one.
export function contactBody(values: ContactFormValues, mode: "create" | "update"): Record<string, unknown> {
  const text = (value: string) => (value.trim() === "" ? null : value.trim());
  const body: Record<string, unknown> = {
    name: values.name.trim(),
    email: text(values.email),
    phone: text(values.phone),
    mobile: text(values.mobile),
    title_id: values.title_id ? Number(values.title_id) : null,
    job_title: text(values.job_title),
    notes: text(values.notes),
  };
  if (mode === "update") return body;
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}
