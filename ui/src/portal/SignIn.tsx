// The portal's sign-in (seed 000): e-mail and password. Customers the business created cannot sign
// in until it invites them; the server gives them the same answer as a wrong password.
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link, Navigate, useNavigate } from "react-router-dom";

import { PortalSession } from "../api";
import { formFailure } from "./forms";
import { PortalCard, usePortal } from "./Layout";
import { portalApi, usePortalSignedIn } from "./session";

const labels = { email: "E-mail", password: "Password" };

export function PortalSignIn() {
  const { workspace, session, home } = usePortal();
  const signedIn = usePortalSignedIn(workspace);
  const navigate = useNavigate();
  const [alert, setAlert] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: "", password: "" },
    validate: {
      email: (v) => (v.trim() ? null : "Enter your e-mail address"),
      password: (v) => (v ? null : "Enter your password"),
    },
  });
  const login = useMutation({
    mutationFn: (values: typeof form.values) =>
      portalApi<PortalSession>(workspace, "POST", "login", { email: values.email.trim(), password: values.password }),
    onSuccess: (answer) => { signedIn(answer); navigate(home, { replace: true }); },
    onError: (failure) => {
      const { fields, alert } = formFailure(failure, labels);
      form.setErrors(fields);
      setAlert(alert);
    },
  });
  if (session && !login.isSuccess) return <Navigate to={home} replace />;

  return (
    <PortalCard narrow>
      <form onSubmit={form.onSubmit((values) => { setAlert(null); login.mutate(values); })} noValidate>
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">Sign in</Title>
            <Text c="dimmed" size="sm">Welcome back. Sign in to see and update your details.</Text>
          </div>
          <TextInput label="E-mail" type="email" autoComplete="username" withAsterisk {...form.getInputProps("email")} />
          <PasswordInput label="Password" autoComplete="current-password" withAsterisk {...form.getInputProps("password")} />
          {alert && <Alert color="red" role="alert" title="Could not sign in">{alert}</Alert>}
          <Button type="submit" loading={login.isPending} fullWidth size="md">Sign in</Button>
          <Text size="sm" ta="center">
            New here? <Anchor component={Link} to={`${home}/register`}>Create an account</Anchor>
          </Text>
          <Text size="xs" c="dimmed" ta="center">
            Did we invite you by e-mail? Open the link in the invitation to choose your password first.
          </Text>
        </Stack>
      </form>
    </PortalCard>
  );
}
