// Where a portal invitation leads (/portal/:workspace/invitation#token=…): a customer the business
// created chooses a password and is signed in. The token stays in the fragment, which browsers
// never send to a server.
import { Alert, Button, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useLocation, useNavigate } from "react-router-dom";

import { PortalSession } from "../api";
import { checkConfirmation, checkNewPassword, formFailure, passwordRule } from "./forms";
import { PortalCard, usePortal } from "./Layout";
import { portalApi, usePortalSignedIn } from "./session";

const labels = { password: "Password", password_confirmation: "Confirm password" };

export function PortalInvitation() {
  const { workspace, home } = usePortal();
  const token = new URLSearchParams(useLocation().hash.slice(1)).get("token") ?? "";
  const signedIn = usePortalSignedIn(workspace);
  const navigate = useNavigate();
  const [alert, setAlert] = useState<string | null>(
    token ? null : "This link is incomplete: open the whole link from your invitation.");
  const form = useForm({
    initialValues: { password: "", password_confirmation: "" },
    validate: {
      password: (v) => checkNewPassword("Password", v),
      password_confirmation: (v, values) => checkConfirmation("Confirm password", v, values.password),
    },
  });
  const accept = useMutation({
    mutationFn: (values: typeof form.values) =>
      portalApi<PortalSession>(workspace, "POST", "accept-invitation", { token, ...values }),
    onSuccess: (answer) => {
      signedIn(answer);
      navigate(home, { replace: true });  // and the token leaves the address bar
      notifications.show({ color: "teal", title: `Welcome, ${answer.customer.name}`,
        message: "Your password is set. Next time, sign in with your e-mail and this password." });
    },
    onError: (failure) => {
      const { fields, alert } = formFailure(failure, labels);
      form.setErrors(fields);
      setAlert(alert);
    },
  });

  return (
    <PortalCard narrow>
      <form onSubmit={form.onSubmit((values) => { setAlert(null); accept.mutate(values); })} noValidate>
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">Choose your password</Title>
            <Text c="dimmed" size="sm">
              You have been invited to this customer portal. Choose a password to sign in with, together
              with the e-mail address the invitation was sent to.
            </Text>
          </div>
          <PasswordInput label="Password" autoComplete="new-password" withAsterisk description={passwordRule}
            {...form.getInputProps("password")} />
          <PasswordInput label="Confirm password" autoComplete="new-password" withAsterisk
            {...form.getInputProps("password_confirmation")} />
          {alert && <Alert color="red" role="alert" title="Could not accept the invitation">{alert}</Alert>}
          <Button type="submit" loading={accept.isPending} disabled={!token} fullWidth size="md">
            Set password and sign in
          </Button>
        </Stack>
      </form>
    </PortalCard>
  );
}
