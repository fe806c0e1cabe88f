// Add or edit a company's contact in a modal: name, e-mail, phones, title, job title, notes.
// Field errors from the server show on their fields; a stale edit (412) offers a Reload.
import { Alert, Button, Grid, Group, Modal, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { ApiError, Customer, api, ifMatch, problemText } from "../api";
import { ContactFormValues, contactBody, contactFields, contactValues, emptyContactValues } from "./contactForm";
import { fieldErrors } from "./customerForm";
import { ConflictAlert } from "./parts";
import { TitleSelect } from "./selects";

export function ContactModal({ companyId, companyName, opened, contact, onClose, onSaved, onReload }: {
  companyId: number;
  companyName: string;
  opened: boolean;
  contact: Customer | null;  // null: a new contact
  onClose: () => void;
  onSaved: (contact: Customer) => void;
  onReload: () => Promise<void>;  // loads the current version of `contact` into the modal
}) {
  const phone = useMediaQuery("(max-width: 36em)");  // a long form: the whole screen on a phone
  return (
    <Modal opened={opened} onClose={onClose} size="lg" fullScreen={phone}
      title={contact ? `Edit contact ${contact.name}` : `Add a contact to ${companyName}`}>
      {/* A new key per version: after Reload the form starts from the current record. */}
      <ContactFormBody key={contact ? `${contact.id}:${contact.version}` : "new"} companyId={companyId} contact={contact}
        onCancel={onClose} onSaved={onSaved} onReload={onReload} />
    </Modal>
  );
}

function ContactFormBody({ companyId, contact, onCancel, onSaved, onReload }: {
  companyId: number;
  contact: Customer | null;
  onCancel: () => void;
  onSaved: (contact: Customer) => void;
  onReload: () => Promise<void>;
}) {
  const [problem, setProblem] = useState<string[] | null>(null);
  const [conflict, setConflict] = useState(false);
  const form = useForm<ContactFormValues>({
    initialValues: contact ? contactValues(contact) : emptyContactValues(),
    validate: { name: (name) => (name.trim() ? null : "Name is required") },
  });
  const save = useMutation({
    mutationFn: async (values: ContactFormValues) => {
      if (!contact) {
        return api<Customer>("POST", `/api/customers/${companyId}/contacts`, contactBody(values, "create"));
      }
      const answer = await api<{ customer: Customer }>("PUT", `/api/customers/${companyId}/contacts/${contact.id}`,
        contactBody(values, "update"), { headers: ifMatch(contact.version) });
      return answer.customer;
    },
    onSuccess: onSaved,
    onError: (failure) => {
      if (failure instanceof ApiError && failure.status === 412) {
        setConflict(true);
        return;
      }
      const mapped = fieldErrors(failure, contactFields);
      form.setErrors(mapped.fields);
      if (mapped.other.length) setProblem(mapped.other);
      else if (!Object.keys(mapped.fields).length) setProblem([problemText(failure)]);
    },
  });

  return (
    <form noValidate onSubmit={form.onSubmit((values) => { setProblem(null); save.mutate(values); })}>
      <Stack gap="sm">
        <Grid>
          <Grid.Col span={{ base: 12, xs: 4 }}><TitleSelect {...form.getInputProps("title_id")} /></Grid.Col>
          <Grid.Col span={{ base: 12, xs: 8 }}>
            <TextInput label="Name" required data-autofocus {...form.getInputProps("name")} />
          </Grid.Col>
        </Grid>
        <TextInput label="Job title" placeholder="e.g. Head of purchasing" {...form.getInputProps("job_title")} />
        <TextInput label="E-mail" type="email" {...form.getInputProps("email")} />
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput label="Phone" type="tel" {...form.getInputProps("phone")} />
          <TextInput label="Mobile" type="tel" {...form.getInputProps("mobile")} />
        </SimpleGrid>
        <Textarea label="Notes" autosize minRows={2} maxRows={6} {...form.getInputProps("notes")} />
        {conflict && <ConflictAlert what="contact" onReload={onReload} />}
        {problem && (
          <Alert color="red" title="The contact was not saved">
            {problem.map((line) => <Text size="sm" key={line}>{line}</Text>)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>Cancel</Button>
          <Button type="submit" loading={save.isPending} disabled={conflict}>{contact ? "Save contact" : "Add contact"}</Button>
        </Group>
      </Stack>
    </form>
  );
}
