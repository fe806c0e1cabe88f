// One settings page for each of the workspace's lists (tags, titles, industries): the entries, how
// many customers have each where the API counts it, and for those with settings.manage, adding,
// editing and deleting them. Everyone else sees the list read-only.
import {
  Alert, Button, ColorInput, ColorSwatch, Flex, Group, Modal, Skeleton, Stack, Table, Text, TextInput, Title,
  VisuallyHidden,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useMediaQuery } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { Page, api, problemText } from "../api";
import { TagBadge } from "../customers/CustomerViews";
import { useSession } from "../session";
import {
  Entry, FieldSpec, FormValues, ListSpec, deleteFailureText, fieldErrors, formValues, industrySpec, requestBody, tagPalette,
  tagSpec, titleSpec, validateValues,
} from "./lists";

function capitalised(word: string) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The add/edit form, in a modal. Field errors from the server land on their fields. */
function EntryForm({ spec, entry, onSaved }: { spec: ListSpec; entry: Entry | null; onSaved: (saved: Entry) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<FormValues>({
    initialValues: formValues(spec, entry),
    validate: (values) => validateValues(spec, values, entry === null),
  });
  const save = useMutation({
    mutationFn: (values: FormValues) => entry
      ? api<Entry>("PATCH", `${spec.path}/${entry.id}`, requestBody(spec, values, entry))
      : api<Entry>("POST", spec.path, requestBody(spec, values)),
    onSuccess: onSaved,
    onError: (failure) => {
      const errors = fieldErrors(spec, failure);
      form.setErrors(errors);
      setProblem(Object.keys(errors).length ? null : problemText(failure));
    },
  });

  return (
    <form onSubmit={form.onSubmit((values) => { setProblem(null); save.mutate(values); })} noValidate>
      <Stack gap="sm">
        {spec.fields.map((field) => field.kind === "color" ? (
          <ColorInput key={field.key} label={field.label} format="hex" swatches={tagPalette} swatchesPerRow={7}
            placeholder={field.placeholder} withEyeDropper={false} closeOnColorSwatchClick
            required={!(entry === null && field.optionalOnCreate)}
            description={entry === null && field.optionalOnCreate ? "Leave empty for the next colour of the palette" : undefined}
            {...form.getInputProps(field.key)} />
        ) : (
          <TextInput key={field.key} label={field.label} required maxLength={field.maxLength}
            placeholder={field.placeholder} data-autofocus={field === spec.fields[0] || undefined}
            {...form.getInputProps(field.key)} />
        ))}
        {problem && <Alert color="red" role="alert">{problem}</Alert>}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>{entry ? "Save" : `Add ${spec.singular}`}</Button>
        </Group>
      </Stack>
    </form>
  );
}

export function WorkspaceListPage({ spec }: { spec: ListSpec }) {
  const client = useQueryClient();
  const me = useSession().data?.user;
  const canManage = me?.permissions.includes("settings.manage") ?? false;
  const entries = useQuery({
    queryKey: [spec.queryKey],
    queryFn: () => api<Page<Entry>>("GET", `${spec.path}?limit=200`),
  });
  // How many live customers have each entry: one cheap grouped count, where the API has one.
  const usage = useQuery({
    queryKey: ["customers", "groups", `by=${spec.usageBy}&limit=200`],
    enabled: spec.usageBy !== undefined,
    queryFn: () => api<{ data: { id: number | null; count: number }[] }>(
      "GET", `/api/customers/groups?by=${spec.usageBy}&limit=200`),
  });
  const used = (entry: Entry): number | null => {
    if (!usage.data) return null;
    return usage.data.data.find((g) => g.id === entry.id)?.count ?? 0;
  };
  const [editing, setEditing] = useState<Entry | "new" | null>(null);
  const [deleting, setDeleting] = useState<Entry | null>(null);
  const [deleteProblem, setDeleteProblem] = useState<string | null>(null);
  const refresh = () => {
    client.invalidateQueries({ queryKey: [spec.queryKey] });
    client.invalidateQueries({ queryKey: ["customers"] });  // lists show names and colours
  };
  const remove = useMutation({
    mutationFn: (entry: Entry) => api("DELETE", `${spec.path}/${entry.id}`),
    onSuccess: (_, entry) => {
      notifications.show({ color: "teal", message: `${capitalised(spec.singular)} “${entry.name}” deleted.` });
      setDeleting(null);
      refresh();
    },
    onError: (failure, entry) => setDeleteProblem(deleteFailureText(spec, entry, failure)),
  });
  const colour = spec.fields.find((f) => f.kind === "color");
  const rows = entries.data?.data ?? [];
  const narrow = useMediaQuery("(max-width: 36em)") ?? false;
  const columns = narrow ? spec.fields.slice(0, 1) : spec.fields;
  const cell = (f: FieldSpec, entry: Entry, small = false) => {
    if (f.kind === "color") {
      return (
        <Group gap="xs" wrap="nowrap">
          <ColorSwatch color={String(entry[f.key])} size={small ? 12 : 16} />
          <Text size={small ? "xs" : "sm"} ff="monospace" span>{entry[f.key]}</Text>
        </Group>
      );
    }
    if (f.key === "name" && colour) {
      return <TagBadge tag={{ id: entry.id, name: entry.name, color: String(entry[colour.key]) }} size="md" />;
    }
    return entry[f.key] ?? "—";
  };

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={3}>{spec.title}</Title>
          <Text size="sm" c="dimmed">{spec.intro}</Text>
        </div>
        {canManage && <Button onClick={() => setEditing("new")}>New {spec.singular}</Button>}
      </Group>
      {!canManage && me && (
        <Alert color="gray" title="Read only">
          Your role ({me.role}) can see this list; owners and admins of the workspace change it.
        </Alert>
      )}
      {entries.error && <Alert color="red" role="alert">{problemText(entries.error)}</Alert>}
      {entries.isPending ? (
        <Stack gap="xs" aria-label={`Loading ${spec.title.toLowerCase()}`}>
          {Array.from({ length: 5 }, (_, i) => <Skeleton key={i} height={40} radius="sm" />)}
        </Stack>
      ) : rows.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl">No {spec.title.toLowerCase()} yet.</Text>
      ) : (
        <Table striped highlightOnHover verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              {columns.map((f) => <Table.Th key={f.key}>{f.label}</Table.Th>)}
              {spec.usageBy && <Table.Th ta="right">Customers</Table.Th>}
              {canManage && <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((entry) => (
              <Table.Tr key={entry.id}>
                {columns.map((f, i) => (
                  <Table.Td key={f.key}>
                    {cell(f, entry)}
                    {/* On a phone the other fields go under the name rather than off the screen. */}
                    {narrow && i === 0 && spec.fields.slice(1).map((more) => (
                      <Text key={more.key} size="xs" c="dimmed" mt={4} component="div">{cell(more, entry, true)}</Text>
                    ))}
                  </Table.Td>
                ))}
                {spec.usageBy && <Table.Td ta="right">{used(entry) ?? "…"}</Table.Td>}
                {canManage && (
                  <Table.Td w={1}>
                    <Flex gap={4} justify="flex-end" direction={narrow ? "column" : "row"} align="flex-end">
                      <Button size="compact-sm" variant="subtle" aria-label={`Edit ${entry.name}`}
                        onClick={() => setEditing(entry)}>Edit</Button>
                      <Button size="compact-sm" variant="subtle" color="red" aria-label={`Delete ${entry.name}`}
                        onClick={() => { setDeleteProblem(null); setDeleting(entry); }}>Delete</Button>
                    </Flex>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Modal opened={editing !== null} onClose={() => setEditing(null)}
        title={editing === "new" ? `New ${spec.singular}` : `Edit ${spec.singular}`}>
        {editing !== null && (
          <EntryForm spec={spec} entry={editing === "new" ? null : editing}
            onSaved={(saved) => {
              notifications.show({ color: "teal", message: `${capitalised(spec.singular)} “${saved.name}” saved.` });
              setEditing(null);
              refresh();
            }} />
        )}
      </Modal>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={`Delete ${spec.singular}`}>
        {deleting && (
          <Stack>
            <Text size="sm">
              Delete the {spec.singular} “{deleting.name}”? {spec.deleteEffect(used(deleting))}
            </Text>
            {deleteProblem && <Alert color="orange" role="alert">{deleteProblem}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)}>{deleteProblem ? "Close" : "Cancel"}</Button>
              {!deleteProblem && (
                <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(deleting)}>
                  Delete {spec.singular}
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

export const TagsPage = () => <WorkspaceListPage spec={tagSpec} />;
export const TitlesPage = () => <WorkspaceListPage spec={titleSpec} />;
export const IndustriesPage = () => <WorkspaceListPage spec={industrySpec} />;
