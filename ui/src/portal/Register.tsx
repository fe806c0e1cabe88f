// The portal's sign-up (seed 000's Register form): name, e-mail, password and its confirmation.
// The new customer is signed in at once; the business sees them in its customer list.
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link, Navigate, useNavigate } from "react-router-dom";

import { PortalSession } from "../api";
import { checkConfirmation, checkNewPassword, formFailure, passwordRule } from "./forms";
import { PortalCard, usePortal } from "./Layout";
import { portalApi, usePortalSignedIn } from "./session";

const labels = { name: "Name", email: "E-mail", password: "Password", password_confirmation: "Confirm password" };

export function PortalRegister() {
  const { workspace, session, home } = usePortal();
  const signedIn = usePortalSignedIn(workspace);
  const navigate = useNavigate();
  const [alert, setAlert] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: "", email: "", password: "", password_confirmation: "" },
    validate: {
      name: (v) => (v.trim() ? null : "Enter your name"),
      email: (v) => (v.trim() ? null : "Enter your e-mail address"),
      password: (v) => checkNewPassword("Password", v),
      password_confirmation: (v, values) => checkConfirmation("Confirm password", v, values.password),
    },
  });
  const register = useMutation({
    mutationFn: (values: typeof form.values) =>
      portalApi<PortalSession>(workspace, "POST", "register", { ...values, name: values.name.trim(), email: values.email.trim() }),
    onSuccess: (answer) => {
      signedIn(answer);
      navigate(home, { replace: true });
      notifications.show({ color: "teal", title: `Welcome, ${answer.customer.name}`, message: "Your account is ready." });
    },
    onError: (failure) => {
      const { fields, alert } = formFailure(failure, labels);
      form.setErrors(fields);
      setAlert(alert);
    },
  });
  if (session && !register.isSuccess) return <Navigate to={home} replace />;

  return (
    <PortalCard narrow>
      <form onSubmit={form.onSubmit((values) => { setAlert(null); register.mutate(values); })} noValidate>
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">Create your account</Title>
            <Text c="dimmed" size="sm">Keep your details up to date and collect loyalty points.</Text>
          </div>
          <TextInput label="Name" autoComplete="name" withAsterisk {...form.getInputProps("name")} />
          <TextInput label="E-mail" type="email" autoComplete="email" withAsterisk
            description="You sign in with it." {...form.getInputProps("email")} />
          <PasswordInput label="Password" autoComplete="new-password" withAsterisk description={passwordRule}
            {...form.getInputProps("password")} />
          <PasswordInput label="Confirm password" autoComplete="new-password" withAsterisk
            {...form.getInputProps("password_confirmation")} />
          {alert && <Alert color="red" role="alert" title="Could not create the account">{alert}</Alert>}
          <Button type="submit" loading={register.isPending} fullWidth size="md">Sign up</Button>
          <Text size="sm" ta="center">
            Have an account already? <Anchor component={Link} to={`${home}/sign-in`}>Sign in</Anchor>
          </Text>
        </Stack>
      </form>
    </PortalCard>
  );
}
