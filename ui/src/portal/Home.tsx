// A signed-in customer's home in the portal: who they are, their loyalty points, and their profile
// (personal details, contact, address with country and state), saved with PATCH …/me.
import "@mantine/dates/styles.css";

import {
  Alert, Anchor, Avatar, Button, Divider, Flex, Group, Select, SimpleGrid, Stack, Text, TextInput, Title,
} from "@mantine/core";
import { DateInput } from "@mantine/dates";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { Link } from "react-router-dom";

import { ApiError, Country, PortalCustomer, Subdivision, api } from "../api";
import {
  ProfileValues, formFailure, genderOptions, localeOptions, profileLabels, profilePatch, profileValues,
} from "./forms";
import { PortalCard, RequireCustomer, initials, usePortal } from "./Layout";
import classes from "./portal.module.css";
import { portalApi, portalSessionKey, usePortalCustomerChanged, usePortalSessionLost } from "./session";

const memberSince = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric" });

function Summary({ customer }: { customer: PortalCustomer }) {
  const { home } = usePortal();
  return (
    <PortalCard>
      <Group justify="space-between" gap="lg">
        <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
          <Avatar color="teal" radius="xl" size={64}>{initials(customer.name)}</Avatar>
          <div style={{ minWidth: 0 }}>
            <Title order={1} size="h2" data-testid="portal-customer-name">{customer.name}</Title>
            <Text c="dimmed" size="sm" truncate>{customer.email}</Text>
            <Text c="dimmed" size="xs">Customer since {memberSince.format(new Date(customer.created_at))}</Text>
          </div>
        </Group>
        <div className={classes.points} data-testid="loyalty-points">
          <Text size="xs" tt="uppercase" fw={700} c="teal.9">Loyalty points</Text>
          <Text fz={32} fw={800} lh={1.1} c="teal.9">{customer.loyalty_points.toLocaleString()}</Text>
          {customer.loyalty_tier && <Text size="sm" fw={600} c="teal.9">{customer.loyalty_tier} member</Text>}
          <Anchor component={Link} to={`${home}/orders`} size="sm" fw={500}>Orders and points</Anchor>
        </div>
      </Group>
    </PortalCard>
  );
}

function ProfileForm({ customer }: { customer: PortalCustomer }) {
  const { workspace } = usePortal();
  const client = useQueryClient();
  const changed = usePortalCustomerChanged(workspace);
  const lost = usePortalSessionLost(workspace);
  const [alert, setAlert] = useState<{ text: string; conflict: boolean } | null>(null);
  const form = useForm<ProfileValues>({
    initialValues: profileValues(customer),
    validate: {
      name: (v) => (v.trim() ? null : "Full name is needed"),
      email: (v) => (v.trim() ? null : "E-mail is needed: you sign in with it"),
    },
  });

  const countries = useQuery({
    queryKey: ["portal", "countries"],
    queryFn: () => api<{ data: Country[] }>("GET", "/api/countries"),
    select: (answer) => [...answer.data].sort((a, b) => a.name.localeCompare(b.name)),
    staleTime: Infinity,
  });
  const country = form.values.address.country;
  const hasStates = countries.data?.find((c) => c.code === country)?.has_subdivisions ?? false;
  const states = useQuery({
    queryKey: ["portal", "subdivisions", country],
    queryFn: () => api<{ data: Subdivision[] }>("GET", `/api/countries/${country}/subdivisions`),
    select: (answer) => [...answer.data].sort((a, b) => a.name.localeCompare(b.name)),
    enabled: Boolean(country) && hasStates,
    staleTime: Infinity,
  });
  const languages = useMemo(() => localeOptions(customer.locale, navigator.languages ?? []), [customer.locale]);

  const save = useMutation({
    mutationFn: (patch: Record<string, unknown>) =>
      portalApi<{ message: string; customer: PortalCustomer }>(workspace, "PATCH", "me", patch,
        { "If-Match": `"${customer.version}"` }),
    onSuccess: (reply) => {
      // The form is keyed by the version, so it starts again from what was stored.
      changed(reply.customer);
      notifications.show({ color: "teal", title: "Saved", message: "Your profile is up to date." });
    },
    onError: (failure) => {
      if (failure instanceof ApiError && failure.status === 401) {
        lost();
        notifications.show({ color: "yellow", message: "Your session had ended. Sign in again to save your profile." });
        return;
      }
      const { fields, alert, conflict } = formFailure(failure, profileLabels);
      form.setErrors(fields);
      setAlert(alert ? { text: alert, conflict } : null);
    },
  });
  const submit = form.onSubmit((values) => {
    setAlert(null);
    const patch = profilePatch(customer, values);
    if (Object.keys(patch).length) save.mutate(patch);
  });

  return (
    <PortalCard>
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <div>
            <Title order={2} size="h3">Your details</Title>
            <Text c="dimmed" size="sm">What the business knows about you, to serve you and to reach you.</Text>
          </div>

          <Stack gap="sm">
            <Title order={3} size="h5">About you</Title>
            <TextInput label={profileLabels.name} autoComplete="name" withAsterisk {...form.getInputProps("name")} />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput label={profileLabels.first_name} autoComplete="given-name" {...form.getInputProps("first_name")} />
              <TextInput label={profileLabels.last_name} autoComplete="family-name" {...form.getInputProps("last_name")} />
              <DateInput label={profileLabels.birthdate} placeholder="Pick a date" valueFormat="D MMMM YYYY"
                clearable defaultLevel="decade" minDate={new Date(1900, 0, 1)} maxDate={new Date()}
                // With no date yet, the picker opens on the decade of a typical adult's birth.
                defaultDate={customer.birthdate ? undefined : dayjs().subtract(35, "year").toDate()}
                {...form.getInputProps("birthdate")} />
              <Select label={profileLabels.gender} placeholder="Not given" data={genderOptions} clearable
                {...form.getInputProps("gender")} />
            </SimpleGrid>
            <Select label={profileLabels.locale} placeholder="Not given" data={languages} searchable clearable
              nothingFoundMessage="No such language" {...form.getInputProps("locale")} />
          </Stack>

          <Divider />
          <Stack gap="sm">
            <Title order={3} size="h5">Contact</Title>
            <TextInput label={profileLabels.email} type="email" autoComplete="email" withAsterisk
              description="You sign in with this address." {...form.getInputProps("email")} />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput label={profileLabels.phone} type="tel" autoComplete="tel" {...form.getInputProps("phone")} />
              <TextInput label={profileLabels.mobile} type="tel" autoComplete="tel" {...form.getInputProps("mobile")} />
            </SimpleGrid>
          </Stack>

          <Divider />
          <Stack gap="sm">
            <Title order={3} size="h5">Address</Title>
            <TextInput label={profileLabels["address.street"]} autoComplete="address-line1"
              {...form.getInputProps("address.street")} />
            <TextInput label={profileLabels["address.street2"]} autoComplete="address-line2"
              {...form.getInputProps("address.street2")} />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput label={profileLabels["address.postal_code"]} autoComplete="postal-code"
                {...form.getInputProps("address.postal_code")} />
              <TextInput label={profileLabels["address.city"]} autoComplete="address-level2"
                {...form.getInputProps("address.city")} />
              <Select label={profileLabels["address.country"]} placeholder={countries.isPending ? "Loading…" : "Choose a country"}
                data={(countries.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
                searchable clearable nothingFoundMessage="No such country" autoComplete="off"
                {...form.getInputProps("address.country")}
                onChange={(code) => {
                  form.setFieldValue("address.country", code);
                  form.setFieldValue("address.state", null);  // a state belongs to its country
                }} />
              {(!country || hasStates) && (
                <Select label={profileLabels["address.state"]} autoComplete="off"
                  placeholder={!country ? "Choose a country first" : states.isPending ? "Loading…" : "Choose one"}
                  data={(states.data ?? []).map((s) => ({ value: s.code, label: s.name }))}
                  disabled={!country} searchable clearable nothingFoundMessage="None of that name"
                  {...form.getInputProps("address.state")} />
              )}
            </SimpleGrid>
            {countries.isError && <Alert color="red">The list of countries could not be loaded.</Alert>}
          </Stack>

          {alert && (
            <Alert color={alert.conflict ? "yellow" : "red"} role="alert"
              title={alert.conflict ? "Changed somewhere else" : "Could not save"}>
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{alert.text}</Text>
                {alert.conflict && (
                  <Button size="xs" variant="white" color="dark"
                    onClick={() => client.invalidateQueries({ queryKey: portalSessionKey(workspace) })}>
                    Reload my details
                  </Button>
                )}
              </Stack>
            </Alert>
          )}
          {/* On a phone the buttons fill the width, the main one on top. */}
          <Flex direction={{ base: "column-reverse", xs: "row" }} justify="flex-end" gap="sm">
            <Button variant="default" disabled={!form.isDirty() || save.isPending}
              onClick={() => { form.reset(); setAlert(null); }}>
              Discard changes
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>Save changes</Button>
          </Flex>
        </Stack>
      </form>
    </PortalCard>
  );
}

function Security({ home }: { home: string }) {
  return (
    <PortalCard>
      <Group justify="space-between">
        <div>
          <Title order={2} size="h4">Password</Title>
          <Text c="dimmed" size="sm">Change it whenever you like; your other devices are then signed out.</Text>
        </div>
        <Anchor component={Link} to={`${home}/password`} fw={500}>Change password</Anchor>
      </Group>
    </PortalCard>
  );
}

export function PortalHome() {
  const { home } = usePortal();
  return (
    <RequireCustomer>
      {(session) => (
        <Stack gap="md">
          <Summary customer={session.customer} />
          {/* A new version (saved here, or reloaded after a conflict) starts the form again. */}
          <ProfileForm key={session.customer.version} customer={session.customer} />
          <Security home={home} />
        </Stack>
      )}
    </RequireCustomer>
  );
}
