// Settings › Loyalty program: how customers earn points (per unit of the base currency, on which
// amount, when), when points expire, the minimum balance to redeem, a cap, and the tiers by spend
// in the last 12 months with their multipliers. Everyone with loyalty.read sees it; settings.manage
// changes it (PUT with If-Match: a change made meanwhile is a 412 with a Reload).
import {
  ActionIcon, Alert, Button, Card, Checkbox, Fieldset, Group, Radio, Skeleton, Stack, Table, Text, TextInput, Title,
  VisuallyHidden,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { ApiError, LoyaltyProgram, api, ifMatch, problemFields, problemText } from "../api";
import { ConflictAlert } from "../customers/parts";
import { formatWhen } from "../format";
import { ProgramForm, formField, programForm, programRequest, tierKey } from "../loyalty/loyalty";
import { programKey, useLoyaltyProgram } from "../loyalty/LoyaltyTab";
import { useSession } from "../session";
import { useBaseCurrency } from "./workspaceSettings";

export function LoyaltyProgramPage() {
  const permissions = useSession().data?.user.permissions ?? [];
  const allowed = permissions.includes("loyalty.read");
  const program = useLoyaltyProgram(allowed);
  const baseCurrency = useBaseCurrency();

  return (
    <Stack maw={860}>
      <div>
        <Title order={3}>Loyalty program</Title>
        <Text size="sm" c="dimmed">How customers earn and spend points. Changes apply to orders from now on.</Text>
      </div>
      {!allowed ? <Alert color="gray" title="Not for your role">Your role does not show the loyalty program.</Alert>
        : program.error ? <Alert color="red" role="alert">{problemText(program.error)}</Alert>
        : !program.data || !baseCurrency ? <Skeleton height={480} />
        : (
          <ProgramEditor key={program.data.version} program={program.data} baseCurrency={baseCurrency}
            canManage={permissions.includes("settings.manage")} onReload={async () => { await program.refetch(); }} />
        )}
    </Stack>
  );
}

function ProgramEditor({ program, baseCurrency, canManage, onReload }: {
  program: LoyaltyProgram;
  baseCurrency: string;
  canManage: boolean;
  onReload: () => Promise<void>;
}) {
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const form = useForm<ProgramForm>({ initialValues: programForm(program, baseCurrency) });
  const save = useMutation({
    mutationFn: (body: object) => api<LoyaltyProgram>("PUT", "/api/loyalty/program", body, { headers: ifMatch(program.version) }),
    onSuccess: (saved) => {
      client.setQueryData(programKey, saved);
      notifications.show({ color: "teal", message: "The loyalty program is saved." });
    },
    onError: (failure) => {
      if (failure instanceof ApiError && failure.status === 412) { setConflict(true); return; }
      const fields = problemFields(failure, formField);
      form.setErrors(fields);
      if (!Object.keys(fields).length) setProblem(problemText(failure));
    },
  });
  const values = form.values;

  return (
    <form noValidate onSubmit={form.onSubmit((v) => {
      setProblem(null);
      const request = programRequest(v, baseCurrency);
      if ("errors" in request) { form.setErrors(request.errors); return; }
      save.mutate(request.body);
    })}>
      <Fieldset variant="unstyled" disabled={!canManage}>
        <Stack>
          <Card withBorder padding="lg">
            <Title order={4} mb="md">Earning</Title>
            <Stack gap="sm">
              <TextInput label={`Points per ${baseCurrency} spent`} inputMode="decimal" w={240} required
                description="Rounded down to whole points per order; up to 2 decimals" {...form.getInputProps("points_per_unit")} />
              <div role="group" aria-labelledby="earning-amount">
                <Text size="sm" fw={500} id="earning-amount">The amount that earns points, after discounts</Text>
                <Stack gap={6} mt={6}>
                  <Checkbox label="Including tax" {...form.getInputProps("earn_includes_tax", { type: "checkbox" })} />
                  <Checkbox label="Including shipping" {...form.getInputProps("earn_includes_shipping", { type: "checkbox" })} />
                </Stack>
              </div>
              <Radio.Group label="Points become available when the order is" {...form.getInputProps("earn_on")}>
                <Group mt={6}>
                  <Radio value="paid" label="Paid" />
                  <Radio value="fulfilled" label="Fulfilled" />
                </Group>
              </Radio.Group>
            </Stack>
          </Card>

          <Card withBorder padding="lg">
            <Title order={4} mb="md">Spending and limits</Title>
            <Stack gap="sm">
              <Group align="flex-start">
                <Checkbox mt={values.expires ? 30 : 0} label="Points expire" {...form.getInputProps("expires", { type: "checkbox" })} />
                {values.expires && (
                  <TextInput label="Days after they are earned" inputMode="numeric" w={220}
                    {...form.getInputProps("expiry_days")} />
                )}
              </Group>
              <TextInput label="Minimum balance to redeem" inputMode="numeric" w={240} description="0 for none"
                {...form.getInputProps("min_redeem")} />
              <Group align="flex-start">
                <Checkbox mt={values.capped ? 30 : 0} label="Cap the balance" {...form.getInputProps("capped", { type: "checkbox" })} />
                {values.capped && (
                  <TextInput label="Most points a customer may hold" inputMode="numeric" w={260}
                    {...form.getInputProps("max_balance")} />
                )}
              </Group>
            </Stack>
          </Card>

          <Card withBorder padding="lg">
            <Title order={4} mb={4}>Tiers</Title>
            <Text size="sm" mb="md">
              A customer's tier is the highest whose spend they reached in the last 12 months (in {baseCurrency}, net of
              refunds); its multiplier applies to the points they earn. List them from the lowest spend up.
            </Text>
            {values.tiers.length === 0 ? <Text size="sm" c="dimmed" mb="sm">No tiers: everyone earns at the same rate.</Text> : (
              <Table.ScrollContainer minWidth={560}>
                <Table verticalSpacing="xs" data-testid="tiers">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Spend from ({baseCurrency})</Table.Th>
                      <Table.Th>Multiplier</Table.Th>
                      <Table.Th><VisuallyHidden>Remove</VisuallyHidden></Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {values.tiers.map((tier, i) => (
                      <Table.Tr key={tier.key}>
                        <Table.Td>
                          <TextInput aria-label={`Tier ${i + 1} name`} {...form.getInputProps(`tiers.${i}.name`)} />
                        </Table.Td>
                        <Table.Td>
                          <TextInput aria-label={`Tier ${i + 1} spend from`} inputMode="decimal"
                            {...form.getInputProps(`tiers.${i}.min_spend`)} />
                        </Table.Td>
                        <Table.Td>
                          <TextInput aria-label={`Tier ${i + 1} multiplier`} inputMode="decimal" w={110}
                            {...form.getInputProps(`tiers.${i}.multiplier`)} />
                        </Table.Td>
                        <Table.Td w={1}>
                          <ActionIcon variant="subtle" color="red" aria-label={`Remove tier ${tier.name || i + 1}`}
                            onClick={() => form.removeListItem("tiers", i)}>
                            <span aria-hidden>✕</span>
                          </ActionIcon>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            {canManage && (
              <Button variant="default" mt="sm" style={{ alignSelf: "flex-start" }}
                onClick={() => form.insertListItem("tiers", { key: tierKey(), name: "", min_spend: "", multiplier: "1" })}>
                Add a tier
              </Button>
            )}
          </Card>
        </Stack>
      </Fieldset>

      <Stack mt="md" gap="sm">
        {conflict && <ConflictAlert what="program" onReload={onReload} />}
        {problem && <Alert color="red" role="alert" title="The program was not saved">{problem}</Alert>}
        {canManage ? (
          <Group justify="space-between">
            <Text size="xs" c="dimmed">{program.updated_at ? `Last changed ${formatWhen(program.updated_at)}` : "The defaults: never changed"}</Text>
            <Button type="submit" loading={save.isPending} disabled={conflict}>Save the program</Button>
          </Group>
        ) : <Text size="sm" c="dimmed">Owners and admins change the program.</Text>}
      </Stack>
    </form>
  );
}
