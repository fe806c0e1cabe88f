// Add or edit a typed address in a modal: the type (permanent, present, invoice, delivery, other),
// who and how to reach there, the full address with country → state, and the default mark that
// the type allows (an invoice address can be the default invoice one, a delivery the delivery one).
import { Alert, Button, Checkbox, Group, Input, Modal, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { ApiError, CustomerAddress, api, ifMatch, problemText } from "../api";
import { AddressFormValues, addressBody, addressTypes, addressValues, defaultMark, emptyAddressValues } from "./addressForm";
import { fieldErrors } from "./customerForm";
import { ConflictAlert } from "./parts";
import { AddressFields } from "./selects";

const addressFields = ["type", "full_name", "email", "phone", "mobile", "street", "street2", "city", "postal_code",
  "country", "state", "is_default_invoice", "is_default_delivery"];

export function AddressModal({ customerId, opened, address, all, onClose, onSaved, onReload }: {
  customerId: number;
  opened: boolean;
  address: CustomerAddress | null;  // null: a new address
  all: CustomerAddress[];  // the customer's addresses, for what the default marks can do
  onClose: () => void;
  onSaved: (address: CustomerAddress) => void;
  onReload: () => Promise<void>;
}) {
  const phone = useMediaQuery("(max-width: 36em)");  // a long form: the whole screen on a phone
  return (
    <Modal opened={opened} onClose={onClose} size="lg" fullScreen={phone} title={address ? "Edit address" : "Add an address"}>
      <AddressFormBody key={address ? `${address.id}:${address.version}` : "new"} customerId={customerId}
        address={address} all={all} onCancel={onClose} onSaved={onSaved} onReload={onReload} />
    </Modal>
  );
}

function AddressFormBody({ customerId, address, all, onCancel, onSaved, onReload }: {
  customerId: number;
  address: CustomerAddress | null;
  all: CustomerAddress[];
  onCancel: () => void;
  onSaved: (address: CustomerAddress) => void;
  onReload: () => Promise<void>;
}) {
  const narrow = useMediaQuery("(max-width: 36em)");
  const [problem, setProblem] = useState<string[] | null>(null);
  const [conflict, setConflict] = useState(false);
  // A new customer's first address is mostly where the invoices go; after that, delivery is likelier.
  const firstType = all.some((a) => a.type === "invoice") ? "delivery" : "invoice";
  const form = useForm<AddressFormValues>({
    initialValues: address ? addressValues(address) : emptyAddressValues(firstType),
  });
  const values = form.values;
  const invoiceMark = defaultMark("invoice", address, all);
  const deliveryMark = defaultMark("delivery", address, all);

  const save = useMutation({
    mutationFn: async (submitted: AddressFormValues) => {
      const body = addressBody({
        ...submitted,
        is_default_invoice: submitted.is_default_invoice || invoiceMark.forced,
        is_default_delivery: submitted.is_default_delivery || deliveryMark.forced,
      });
      if (!address) return api<CustomerAddress>("POST", `/api/customers/${customerId}/addresses`, body);
      const answer = await api<{ address: CustomerAddress }>("PUT",
        `/api/customers/${customerId}/addresses/${address.id}`, body, { headers: ifMatch(address.version) });
      return answer.address;
    },
    onSuccess: onSaved,
    onError: (failure) => {
      if (failure instanceof ApiError && failure.status === 412) {
        setConflict(true);
        return;
      }
      const mapped = fieldErrors(failure, addressFields);
      form.setErrors(mapped.fields);
      if (mapped.other.length) setProblem(mapped.other);
      else if (!Object.keys(mapped.fields).length) setProblem([problemText(failure)]);
    },
  });

  const mark = values.type === "invoice" ? { field: "is_default_invoice" as const, rule: invoiceMark, label: "Default invoice address" }
    : values.type === "delivery" ? { field: "is_default_delivery" as const, rule: deliveryMark, label: "Default delivery address" }
    : null;

  return (
    <form noValidate onSubmit={form.onSubmit((submitted) => { setProblem(null); save.mutate(submitted); })}>
      <Stack gap="sm">
        <Input.Wrapper label="Address type" labelElement="div" error={form.errors.type}>
          <SegmentedControl fullWidth orientation={narrow ? "vertical" : "horizontal"} data={addressTypes}
            aria-label="Address type" {...form.getInputProps("type")} />
        </Input.Wrapper>
        <TextInput label="Full name" description="Who receives what is sent here" data-autofocus
          {...form.getInputProps("full_name")} />
        <SimpleGrid cols={{ base: 1, xs: 3 }}>
          <TextInput label="E-mail" type="email" {...form.getInputProps("email")} />
          <TextInput label="Phone" type="tel" {...form.getInputProps("phone")} />
          <TextInput label="Mobile" type="tel" {...form.getInputProps("mobile")} />
        </SimpleGrid>
        <AddressFields inputProps={(field) => form.getInputProps(field)} country={values.country} state={values.state}
          onPlaceChange={(place) => { form.setValues(place); form.clearFieldError("state"); }} />
        {mark && (
          <Checkbox label={mark.label} description={mark.rule.reason} disabled={mark.rule.forced}
            checked={mark.rule.forced || values[mark.field]} error={form.errors[mark.field]}
            onChange={(e) => form.setFieldValue(mark.field, e.currentTarget.checked)} />
        )}
        {conflict && <ConflictAlert what="address" onReload={onReload} />}
        {problem && (
          <Alert color="red" title="The address was not saved">
            {problem.map((line) => <Text size="sm" key={line}>{line}</Text>)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>Cancel</Button>
          <Button type="submit" loading={save.isPending} disabled={conflict}>{address ? "Save address" : "Add address"}</Button>
        </Group>
      </Stack>
    </form>
  );
}
