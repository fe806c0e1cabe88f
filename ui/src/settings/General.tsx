// Settings › General: the workspace's base currency, in which customer value and loyalty spend are
// counted. Everyone sees it; settings.manage changes it, until the workspace has orders (the server
// then answers 409, said here in its words).
import { Alert, Button, Card, Group, Select, Skeleton, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { WorkspaceSettings, api, problemText } from "../api";
import { currencyOptions } from "../money";
import { useSession } from "../session";
import { settingsKey, useWorkspaceSettings } from "./workspaceSettings";

export function GeneralSettingsPage() {
  const client = useQueryClient();
  const canManage = useSession().data?.user.permissions.includes("settings.manage") ?? false;
  const settings = useWorkspaceSettings();
  const current = settings.data?.base_currency ?? null;
  const options = useMemo(() => {
    const known = currencyOptions();
    return current && !known.some((o) => o.value === current) ? [{ value: current, label: current }, ...known] : known;
  }, [current]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const value = chosen ?? current;
  const save = useMutation({
    mutationFn: (base_currency: string) => api<WorkspaceSettings>("PATCH", "/api/settings", { base_currency }),
    onSuccess: (saved) => {
      client.setQueryData(settingsKey, saved);
      client.invalidateQueries({ queryKey: ["customers"] });
      setChosen(null);
      notifications.show({ color: "teal", message: `The base currency is now ${saved.base_currency}.` });
    },
    onError: (failure) => setProblem(problemText(failure)),
  });

  return (
    <Stack maw={640}>
      <div>
        <Title order={3}>General</Title>
        <Text size="sm" c="dimmed">Settings of the whole workspace.</Text>
      </div>
      {settings.error && <Alert color="red" role="alert">{problemText(settings.error)}</Alert>}
      <Card withBorder padding="lg">
        <Stack gap="sm">
          <Title order={4}>Base currency</Title>
          <Text size="sm">
            Customers' lifetime value, average order and refunds, and the loyalty tiers' spend, are counted in this
            currency. Orders in another currency carry their exchange rate to it. It cannot change once the workspace
            has orders.
          </Text>
          {settings.isPending ? <Skeleton height={36} /> : (
            <form noValidate onSubmit={(event) => {
              event.preventDefault();
              setProblem(null);
              if (value && value !== current) save.mutate(value);
            }}>
              <Group align="flex-end" gap="sm">
                <Select label="Base currency" data={options} value={value} searchable allowDeselect={false}
                  readOnly={!canManage} w={320} maxDropdownHeight={280}
                  onChange={(v) => { setProblem(null); setChosen(v); }} />
                {canManage && (
                  <Button type="submit" loading={save.isPending} disabled={!value || value === current}>Save</Button>
                )}
              </Group>
            </form>
          )}
          {problem && <Alert color="red" role="alert" title="Not changed">{problem}</Alert>}
          {!canManage && <Text size="sm" c="dimmed">Owners and admins change it.</Text>}
        </Stack>
      </Card>
    </Stack>
  );
}
