// The workspace's lists (tags, titles, industries) as the settings pages edit them: what each list
// has, the request body a form makes, and the server's refusals in plain words.
import { ApiError, problemText } from "../api";

export interface FieldSpec {
  key: string;
  label: string;
  kind: "text" | "color";
  /** Left empty on create, the field is not sent and the server chooses (a tag's colour). */
  optionalOnCreate?: boolean;
  maxLength?: number;
  placeholder?: string;
}

export interface ListSpec {
  title: string;
  /** One entry, in words: "tag", "title", "industry". */
  singular: string;
  intro: string;
  path: string;
  queryKey: string;
  fields: FieldSpec[];
  /** The customer groups that count each entry's customers, if the API has them. */
  usageBy?: "tag" | "industry";
  /** What deleting does to the customers that have the entry, said in the confirmation. */
  deleteEffect: (used: number | null) => string;
}

export interface Entry {
  id: number;
  name: string;
  [field: string]: string | number | null;
}

export type FormValues = Record<string, string>;

export function formValues(spec: ListSpec, entry?: Entry | null): FormValues {
  return Object.fromEntries(spec.fields.map((f) => [f.key, entry ? String(entry[f.key] ?? "") : ""]));
}

/** The body of POST (no `entry`) or PATCH (only what changed) from the form's values. */
export function requestBody(spec: ListSpec, values: FormValues, entry?: Entry | null): Record<string, string> {
  const body: Record<string, string> = {};
  for (const field of spec.fields) {
    let value = (values[field.key] ?? "").trim();
    if (field.kind === "color") value = value.toLowerCase();
    if (entry) {
      if (value !== String(entry[field.key] ?? "")) body[field.key] = value;
    } else if (value !== "" || !field.optionalOnCreate) {
      body[field.key] = value;
    }
  }
  return body;
}

/** A form's own checks before the server's: what is required, and the colour's form. */
export function validateValues(spec: ListSpec, values: FormValues, creating: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of spec.fields) {
    const value = (values[field.key] ?? "").trim();
    if (value === "") {
      if (!(creating && field.optionalOnCreate)) errors[field.key] = `${field.label} is required`;
    } else if (field.kind === "color" && !/^#[0-9a-f]{6}$/i.test(value)) {
      errors[field.key] = `${field.label} must be a colour written #rrggbb`;
    }
  }
  return errors;
}

/** The server's field errors, put on the form's fields in the form's words ("Name is already used"). */
export function fieldErrors(spec: ListSpec, error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const labels = new Map(spec.fields.map((f) => [f.key, f.label]));
  return Object.fromEntries(error.errors.map((e) => [e.field, `${labels.get(e.field) ?? e.field} ${e.message}`]));
}

/** Why an entry could not be deleted. The server's 409 says "82 customer(s) have this title; give
 *  them another first."; this says the same with the entry's name and a proper plural. */
export function deleteFailureText(spec: ListSpec, entry: Entry, error: unknown): string {
  if (error instanceof ApiError && error.status === 409) {
    const match = error.message.match(/(\d+) customer/);
    if (match) {
      const n = Number(match[1]);
      return `“${entry.name}” cannot be deleted: ${n === 1 ? "1 customer has" : `${n} customers have`} this ` +
        `${spec.singular}. Give ${n === 1 ? "that customer" : "them"} another ${spec.singular} first.`;
    }
  }
  return problemText(error);
}

/** The swatches offered for a tag: Mantine's colours at shade 6, the family the server's own palette comes from. */
export const tagPalette = [
  "#fa5252", "#e64980", "#be4bdb", "#7950f2", "#4c6ef5", "#228be6", "#15aabf", "#12b886", "#40c057", "#82c91e",
  "#fab005", "#fd7e14", "#868e96",
];

export const tagSpec: ListSpec = {
  title: "Tags",
  singular: "tag",
  intro: "Labels that group customers, each in its own colour.",
  path: "/api/tags",
  queryKey: "tags",
  fields: [
    { key: "name", label: "Name", kind: "text", maxLength: 100, placeholder: "VIP" },
    { key: "color", label: "Colour", kind: "color", optionalOnCreate: true, placeholder: "The next colour of the palette" },
  ],
  usageBy: "tag",
  deleteEffect: (used) => used === null
    ? "It is taken off every customer that has it."
    : used === 0 ? "No customer has it." : `It is taken off the ${used === 1 ? "customer" : `${used} customers`} that ${used === 1 ? "has" : "have"} it.`,
};

export const titleSpec: ListSpec = {
  title: "Titles",
  singular: "title",
  intro: "How customers are addressed: the full word and its short form (Doctor, Dr.).",
  path: "/api/customer-titles",
  queryKey: "customer-titles",
  fields: [
    { key: "name", label: "Name", kind: "text", maxLength: 100, placeholder: "Doctor" },
    { key: "short_name", label: "Short name", kind: "text", maxLength: 20, placeholder: "Dr." },
  ],
  deleteEffect: () => "A title that customers still have cannot be deleted.",
};

export const industrySpec: ListSpec = {
  title: "Industries",
  singular: "industry",
  intro: "The business domains of your customers: a short name for lists and the full name.",
  path: "/api/industries",
  queryKey: "industries",
  fields: [
    { key: "name", label: "Name", kind: "text", maxLength: 100, placeholder: "Construction" },
    { key: "full_name", label: "Full name", kind: "text", maxLength: 200, placeholder: "Construction of buildings" },
  ],
  usageBy: "industry",
  deleteEffect: (used) => used ? `${used === 1 ? "1 customer has" : `${used} customers have`} it: it cannot be deleted until they have another.` : "No customer has it.",
};
