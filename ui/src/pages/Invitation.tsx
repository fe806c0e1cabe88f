// Where an invitation link leads: the invitee chooses a password and is signed in.
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router-dom";

import { ApiError, SignIn, api, problemText } from "../api";
import { useSignedIn } from "../session";

export function InvitationPage() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "";
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(token ? null : "This link is incomplete: open the whole link you were sent.");
  const [busy, setBusy] = useState(false);
  const signedIn = useSignedIn();
  const navigate = useNavigate();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      const body: Record<string, string> = { token, password };
      if (name.trim()) body.name = name.trim();
      signedIn(await api<SignIn>("POST", "/api/auth/accept-invitation", body));
      navigate("/app");
    } catch (failure) {
      if (failure instanceof ApiError && failure.errors.length) {
        setErrors(Object.fromEntries(failure.errors.map((e) => [e.field, e.message])));
      } else {
        setError(problemText(failure));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={submit}>
          <Stack gap="sm">
            <Title order={2}>Join Clientele</Title>
            <Text c="dimmed" size="sm">Choose the password you will sign in with (8 characters or more).</Text>
            <TextInput label="Your name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <PasswordInput label="Password" required autoComplete="new-password" value={password}
              error={errors.password && `The password ${errors.password}`} onChange={(e) => setPassword(e.currentTarget.value)} />
            {error && <Alert color="red" role="alert">{error}</Alert>}
            <Button type="submit" loading={busy} disabled={!token}>Join</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
