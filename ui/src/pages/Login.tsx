// The login page (seed 001): "Admin login" with e-mail and password, "Client login" with the
// generated username and password.
import { Alert, Button, Center, Paper, PasswordInput, Stack, Tabs, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router-dom";

import { SignIn, api, problemText } from "../api";
import { useSignedIn } from "../session";

type Form = "admin" | "client";

export function LoginPage() {
  const [form, setForm] = useState<Form>("admin");
  const [identifier, setIdentifier] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signedIn = useSignedIn();
  const navigate = useNavigate();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer =
        form === "admin"
          ? await api<SignIn>("POST", "/api/auth/login", { email: identifier, password })
          : await api<SignIn>("POST", "/api/auth/client-login", { username: identifier, password });
      signedIn(answer);
      navigate("/app");
    } catch (failure) {
      setError(problemText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <Stack gap="md">
          <div>
            <Title order={2}>Clientele</Title>
            <Text c="dimmed" size="sm">
              Sign in to manage your customers.
            </Text>
          </div>
          {/* One panel, the chosen tab's: the form differs only in its first field. */}
          <Tabs value={form} keepMounted={false} onChange={(value) => { setForm((value as Form) ?? "admin"); setError(null); }}>
            <Tabs.List grow>
              <Tabs.Tab value="admin">Admin login</Tabs.Tab>
              <Tabs.Tab value="client">Client login</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value={form} pt="md">
              <form onSubmit={submit}>
                <Stack gap="sm">
                  {form === "admin" ? (
                    <TextInput label="E-mail" type="email" autoComplete="username" required
                      value={identifier} onChange={(e) => setIdentifier(e.currentTarget.value)} />
                  ) : (
                    <TextInput label="Username" autoComplete="username" required
                      description="The username you received with your account, such as abcstore123"
                      value={identifier} onChange={(e) => setIdentifier(e.currentTarget.value)} />
                  )}
                  <PasswordInput label="Password" autoComplete="current-password" required
                    value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
                  {error && (
                    <Alert color="red" role="alert" title="Could not sign in">
                      {error}
                    </Alert>
                  )}
                  <Button type="submit" loading={busy} fullWidth>
                    Sign in
                  </Button>
                </Stack>
              </form>
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </Paper>
    </Center>
  );
}
