// The customer create and edit form (seed 000): Individual or Company, the General and the Sales &
// Purchase sections, the avatar. The server's field errors show on their fields, and an edit made
// to a version that someone else has changed meanwhile (412) is explained with a Reload.
import "@mantine/dates/styles.css";
import "@mantine/dropzone/styles.css";

import {
  Alert, Anchor, Breadcrumbs, Button, Center, Divider, Fieldset, Grid, Group, Loader, Paper, SegmentedControl, Select,
  SimpleGrid, Stack, Text, TextInput, Textarea, Title,
} from "@mantine/core";
import { DateInput } from "@mantine/dates";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";

import { AccountType, ApiError, Customer, api, ifMatch, problemText } from "../api";
import { AvatarChange, AvatarPicker, uploadAvatarChange } from "./AvatarPicker";
import {
  CustomerFormValues, customerBody, customerFormFields, customerValues, emptyCustomerValues, fieldErrors, genders,
} from "./customerForm";
import { customerChanged, customerKey, useCustomer } from "./customerQueries";
import { ConflictAlert } from "./parts";
import { AddressFields, CompanySelect, IndustrySelect, ResponsibleSelect, TagsSelect, TitleSelect } from "./selects";

//! /app/customers/new (`?type=company` starts as a company) and /app/customers/:id/edit.
export function CustomerFormPage() {
  const { id } = useParams();
  const [search] = useSearchParams();
  if (!id) {
    const type: AccountType = search.get("type") === "company" ? "company" : "individual";
    return <CustomerFormFrame title="New customer"><CustomerFormBody start={emptyCustomerValues(type)} /></CustomerFormFrame>;
  }
  return <EditCustomer key={id} id={Number(id)} />;
}

function CustomerFormFrame({ title, customer, children }: { title: string; customer?: Customer; children: React.ReactNode }) {
  return (
    <Stack maw={1100}>
      <Breadcrumbs>
        <Anchor component={Link} to="/app/customers" size="sm">Customers</Anchor>
        {customer && <Anchor component={Link} to={`/app/customers/${customer.id}`} size="sm">{customer.name}</Anchor>}
        <Text size="sm">{customer ? "Edit" : "New"}</Text>
      </Breadcrumbs>
      <Title order={2}>{title}</Title>
      {children}
    </Stack>
  );
}

function EditCustomer({ id }: { id: number }) {
  const customer = useCustomer(id);
  // The version the form edits is the one read when it opened (or at Reload), not whatever a later
  // background refetch brings: that would silently replace what the user is typing.
  const [record, setRecord] = useState<Customer | null>(null);
  if (!record && customer.data && !customer.isFetching) setRecord(customer.data);
  if (customer.error && !record) {
    return <Alert color="red" title="The customer cannot be opened">{problemText(customer.error)}</Alert>;
  }
  if (!record) {
    return <Center py="xl"><Loader role="status" aria-label="Loading the customer" /></Center>;
  }
  if (record.deleted_at) {
    return (
      <CustomerFormFrame title={`Edit ${record.name}`} customer={record}>
        <Alert color="yellow" title="This customer is archived">
          Restore it from its page before you change it. <Anchor component={Link} to={`/app/customers/${id}`} underline="always">Open it</Anchor>
        </Alert>
      </CustomerFormFrame>
    );
  }
  return (
    <CustomerFormFrame title={`Edit ${record.name}`} customer={record}>
      {/* A new key per version: Reload after a conflict starts the form afresh from the current record. */}
      <CustomerFormBody key={record.version} original={record} start={customerValues(record)}
        onReload={async () => {
          const fresh = await customer.refetch();
          if (fresh.error) notifications.show({ color: "red", title: "Not reloaded", message: problemText(fresh.error) });
          else if (fresh.data) setRecord(fresh.data);
        }} />
    </CustomerFormFrame>
  );
}

function CustomerFormBody({ original, start, onReload }: {
  original?: Customer;
  start: CustomerFormValues;
  onReload?: () => Promise<void>;
}) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [avatar, setAvatar] = useState<AvatarChange>({ kind: "keep" });
  const [problem, setProblem] = useState<{ title: string; lines: string[] } | null>(null);
  const [conflict, setConflict] = useState(false);
  const form = useForm<CustomerFormValues>({
    initialValues: start,
    validate: { name: (name) => (name.trim() ? null : "Name is required") },
  });
  const values = form.values;
  const individual = values.account_type === "individual";
  const shownFields = customerFormFields.filter(
    (f) => individual || !["company", "job_title", "birthdate", "gender"].includes(f));

  const save = useMutation({
    mutationFn: async (submitted: CustomerFormValues) => {
      const saved = original
        ? (await api<{ customer: Customer }>("PUT", `/api/customers/${original.id}`, customerBody(submitted, "update"),
            { headers: ifMatch(original.version) })).customer
        : await api<Customer>("POST", "/api/customers", customerBody(submitted, "create"));
      // The record exists now; the avatar goes after it (and a failure there keeps what was saved).
      let avatarFailure: unknown = null;
      try {
        await uploadAvatarChange(saved.id, avatar);
      } catch (failure) {
        avatarFailure = failure;
      }
      return { saved, avatarFailure };
    },
    onSuccess: ({ saved, avatarFailure }) => {
      customerChanged(client, saved);
      if (avatar.kind !== "keep") client.invalidateQueries({ queryKey: customerKey(saved.id) });
      notifications.show({ color: "teal", message: original ? `${saved.name} saved.` : `${saved.name} created.` });
      if (avatarFailure) {
        notifications.show({ color: "red", autoClose: false, title: "The picture was not saved",
          message: problemText(avatarFailure) });
      }
      navigate(`/app/customers/${saved.id}`);
    },
    onError: (failure) => {
      if (failure instanceof ApiError && failure.status === 412) {
        setConflict(true);
        setProblem(null);
        return;
      }
      const mapped = fieldErrors(failure, shownFields);
      form.setErrors(mapped.fields);
      const onFields = Object.keys(mapped.fields).length;
      if (onFields || mapped.other.length) {
        setProblem({
          title: onFields ? "Some fields need a change" : "The customer was not saved",
          lines: mapped.other.length ? mapped.other : ["The fields marked in red say what to change."],
        });
        focusFirstError();
      } else {
        setProblem({ title: "The customer was not saved", lines: [problemText(failure)] });
      }
    },
  });

  const submit = form.onSubmit((submitted) => { setProblem(null); save.mutate(submitted); }, () => focusFirstError());

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Paper withBorder p={{ base: "sm", sm: "lg" }}>
          <Grid gutter="xl">
            <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 2, md: 1 }}>
              <Stack>
                <SegmentedControl aria-label="Individual or company" data={[
                  { value: "individual", label: "Individual" }, { value: "company", label: "Company" },
                ]} {...form.getInputProps("account_type")} w={{ base: "100%", xs: 280 }} />
                {form.errors.account_type && <Text size="sm" c="red">{form.errors.account_type}</Text>}
                <TextInput label={individual ? "Name" : "Company name"} required data-autofocus
                  placeholder={individual ? "e.g. Jane Doe" : "e.g. Acme Trading Ltd"} {...form.getInputProps("name")} />
                {individual && (
                  <SimpleGrid cols={{ base: 1, sm: 2 }}>
                    <CompanySelect value={values.company} error={form.errors.company}
                      onChange={(company) => form.setFieldValue("company", company)} />
                    <TextInput label="Job title" placeholder="e.g. Purchasing manager" {...form.getInputProps("job_title")} />
                  </SimpleGrid>
                )}
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 1, md: 2 }}>
              <AvatarPicker name={values.name} currentUrl={original?.avatar?.thumbnail_url ?? null} change={avatar}
                onChange={setAvatar} error={form.errors.avatar as string | undefined} />
            </Grid.Col>
          </Grid>
        </Paper>

        <Fieldset legend="General">
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="E-mail" type="email" autoComplete="off" placeholder="name@example.com"
                {...form.getInputProps("email")} />
              <TextInput label="Website" placeholder="https://example.com" {...form.getInputProps("website")} />
              <TextInput label="Phone" type="tel" placeholder="+1 555 123 4567" {...form.getInputProps("phone")} />
              <TextInput label="Mobile" type="tel" {...form.getInputProps("mobile")} />
              <TextInput label="Tax ID" {...form.getInputProps("tax_id")} />
              <TitleSelect {...form.getInputProps("title_id")} />
              {individual && (
                <>
                  <DateInput label="Birthdate" placeholder="Pick a date" clearable valueFormat="YYYY-MM-DD"
                    maxDate={new Date()} minDate={new Date(1900, 0, 1)} {...form.getInputProps("birthdate")} />
                  <Select label="Gender" data={genders} clearable placeholder="Not said" {...form.getInputProps("gender")} />
                </>
              )}
            </SimpleGrid>
            <TagsSelect value={values.tags} error={form.errors.tags} onChange={(tags) => form.setFieldValue("tags", tags)} />
            <Divider label="Address" labelPosition="left" mt="xs" />
            <AddressFields inputProps={(field) => form.getInputProps(field)} country={values.country} state={values.state}
              onPlaceChange={(place) => { form.setValues(place); form.clearFieldError("state"); }} />
          </Stack>
        </Fieldset>

        <Fieldset legend="Sales & Purchase">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <ResponsibleSelect current={original?.responsible ?? null} {...form.getInputProps("responsible_id")} />
            <IndustrySelect {...form.getInputProps("industry_id")} />
            <TextInput label="Company ID" description="Your internal identifier" {...form.getInputProps("company_registry")} />
            <TextInput label="Reference" description="Their code for you, or an external ID" {...form.getInputProps("reference")} />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend="Notes">
          <Textarea aria-label="Notes" autosize minRows={3} maxRows={10} placeholder="Anything the team should know"
            {...form.getInputProps("notes")} />
        </Fieldset>

        {conflict && onReload && <ConflictAlert what="customer" onReload={onReload} />}
        {problem && (
          <Alert color="red" title={problem.title}>
            {problem.lines.map((line) => <Text size="sm" key={line}>{line}</Text>)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" component={Link} to={original ? `/app/customers/${original.id}` : "/app/customers"}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={conflict}>
            {original ? "Save changes" : "Create customer"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

//! Puts the keyboard on the first field the form marks as wrong, once React has drawn the marks.
function focusFirstError() {
  requestAnimationFrame(() => {
    const field = document.querySelector<HTMLElement>('form [aria-invalid="true"]');
    field?.focus();
    field?.scrollIntoView({ block: "center", behavior: "smooth" });
  });
}
