// A typed address's form values and their mapping to /api/customers/{id}/addresses, and the
// rules the server keeps for the default invoice and delivery addresses, said in the form.
import { CustomerAddress, PostalAddress } from "../api";
import { PostalValues, emptyPostal, postalBody, postalValues } from "./customerForm";

export type AddressType = CustomerAddress["type"];

export const addressTypes: { value: AddressType; label: string }[] = [
  { value: "permanent", label: "Permanent" },
  { value: "present", label: "Present" },
  { value: "invoice", label: "Invoice" },
  { value: "delivery", label: "Delivery" },
  { value: "other", label: "Other" },
];

export const addressTypeLabel = (type: AddressType) => addressTypes.find((t) => t.value === type)?.label ?? type;

export interface AddressFormValues extends PostalValues {
  type: AddressType;
  full_name: string;
  email: string;
  phone: string;
  mobile: string;
  is_default_invoice: boolean;
  is_default_delivery: boolean;
}

export function emptyAddressValues(type: AddressType = "invoice"): AddressFormValues {
  return { ...emptyPostal(), type, full_name: "", email: "", phone: "", mobile: "",
    is_default_invoice: false, is_default_delivery: false };
}

export function addressValues(address: CustomerAddress): AddressFormValues {
  return {
    type: address.type,
    full_name: address.full_name ?? "",
    email: address.email ?? "",
    phone: address.phone ?? "",
    mobile: address.mobile ?? "",
    ...postalValues(address),
    is_default_invoice: address.is_default_invoice,
    is_default_delivery: address.is_default_delivery,
  };
}

const text = (value: string) => (value.trim() === "" ? null : value.trim());

//! The whole address, as POST and PUT take it. A default mark is sent only for the address type it
//! belongs to (the server refuses it on another type).
export function addressBody(values: AddressFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: values.type,
    full_name: text(values.full_name),
    email: text(values.email),
    phone: text(values.phone),
    mobile: text(values.mobile),
    ...postalBody(values),
  };
  if (values.type === "invoice") body.is_default_invoice = values.is_default_invoice;
  if (values.type === "delivery") body.is_default_delivery = values.is_default_delivery;
  return body;
}

//! What the default checkbox of an address can do. The server keeps exactly one default of each kind
//! once there is an address of it: the first becomes the default by itself, and the default mark
//! moves only by marking another address, so it is never simply taken off.
export function defaultMark(
  kind: "invoice" | "delivery",
  editing: CustomerAddress | null,
  all: CustomerAddress[],
): { forced: boolean; reason: string | null } {
  const flag = kind === "invoice" ? "is_default_invoice" : "is_default_delivery";
  if (editing?.[flag]) {
    return { forced: true, reason: `This is the default ${kind} address; to change that, mark another ${kind} address as the default.` };
  }
  const others = all.filter((a) => a.type === kind && a.id !== editing?.id);
  if (others.length === 0) {
    return { forced: true, reason: `The first ${kind} address is the default one.` };
  }
  return { forced: false, reason: null };
}

//! The lines of a postal address as a letter would show them ("10115 Berlin", the state, the country).
export function postalLines(
  address: PostalAddress,
  countryName: (code: string) => string = (code) => code,
  stateName: (code: string) => string = (code) => code,
): string[] {
  const place = [address.postal_code, address.city].filter(Boolean).join(" ");
  return [
    address.street,
    address.street2,
    place,
    address.state ? stateName(address.state) : null,
    address.country ? countryName(address.country) : null,
  ].filter((line): line is string => Boolean(line));
}
