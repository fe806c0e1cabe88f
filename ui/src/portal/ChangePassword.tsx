// A signed-in customer changes their portal password. The server ends every other session of
// theirs (other browsers and devices); this one stays signed in.
import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";

import { ApiError } from "../api";
import { checkConfirmation, checkNewPassword, formFailure, passwordRule } from "./forms";
import { PortalCard, RequireCustomer, usePortal } from "./Layout";
import { portalApi, usePortalSessionLost } from "./session";

const labels = {
  current_password: "Current password",
  new_password: "New password",
  new_password_confirmation: "Confirm new password",
};

function ChangePasswordForm() {
  const { workspace, home } = usePortal();
  const lost = usePortalSessionLost(workspace);
  const navigate = useNavigate();
  const [alert, setAlert] = useState<string | null>(null);
  const form = useForm({
    initialValues: { current_password: "", new_password: "", new_password_confirmation: "" },
    validate: {
      current_password: (v) => (v ? null : "Enter your current password"),
      new_password: (v) => checkNewPassword("New password", v),
      new_password_confirmation: (v, values) => checkConfirmation("Confirm new password", v, values.new_password),
    },
  });
  const change = useMutation({
    mutationFn: (values: typeof form.values) => portalApi<{ message: string }>(workspace, "POST", "change-password", values),
    onSuccess: () => {
      navigate(home);
      notifications.show({ color: "teal", title: "Password changed",
        message: "Use the new password from now on. Your other devices have been signed out." });
    },
    onError: (failure) => {
      if (failure instanceof ApiError && failure.status === 401) {
        lost();
        notifications.show({ color: "yellow", message: "Your session had ended. Sign in again to change your password." });
        return;
      }
      const { fields, alert } = formFailure(failure, labels);
      form.setErrors(fields);
      setAlert(alert);
    },
  });

  return (
    <PortalCard narrow>
      <form onSubmit={form.onSubmit((values) => { setAlert(null); change.mutate(values); })} noValidate>
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">Change password</Title>
            <Text c="dimmed" size="sm">
              You stay signed in here. Everywhere else (other browsers, phones, tablets) you are signed
              out and sign in again with the new password.
            </Text>
          </div>
          <PasswordInput label="Current password" autoComplete="current-password" withAsterisk
            {...form.getInputProps("current_password")} />
          <PasswordInput label="New password" autoComplete="new-password" withAsterisk description={passwordRule}
            {...form.getInputProps("new_password")} />
          <PasswordInput label="Confirm new password" autoComplete="new-password" withAsterisk
            {...form.getInputProps("new_password_confirmation")} />
          {alert && <Alert color="red" role="alert" title="Could not change the password">{alert}</Alert>}
          <Group justify="space-between" wrap="nowrap">
            <Anchor component={Link} to={home} size="sm">Back to your profile</Anchor>
            <Button type="submit" loading={change.isPending}>Change password</Button>
          </Group>
        </Stack>
      </form>
    </PortalCard>
  );
}

export function PortalChangePassword() {
  return <RequireCustomer>{() => <ChangePasswordForm />}</RequireCustomer>;
}
