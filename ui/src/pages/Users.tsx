// Workspace settings: its people and their roles. Owners and admins invite (a one-time link shown
// once until messaging sends it), change roles and deactivate; the server enforces who may do what.
import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Select, Stack, Switch, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { ApiError, Page, Role, StaffUser, api, problemText } from "../api";
import { useSession } from "../session";

export function UsersPage() {
  const client = useQueryClient();
  const session = useSession();
  const me = session.data?.user;
  const canManage = me?.permissions.includes("users.manage") ?? false;
  const users = useQuery({ queryKey: ["users"], queryFn: () => api<Page<StaffUser>>("GET", "/api/users?limit=200") });
  const roles = useQuery({ queryKey: ["roles"], queryFn: () => api<{ data: Role[] }>("GET", "/api/roles") });
  const roleOptions = (roles.data?.data ?? []).map((r) => ({ value: r.name, label: `${r.name} — ${r.description}` }));
  const [inviting, setInviting] = useState(false);
  const [invite, setInvite] = useState({ email: "", name: "", role: "sales" });
  const [inviteErrors, setInviteErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ["users"] });
  const failed = (failure: unknown) => notifications.show({ color: "red", message: problemText(failure) });

  const send = useMutation({
    mutationFn: () => api<{ invitation: { url: string } }>("POST", "/api/users", invite),
    onSuccess: (made) => { setInviting(false); setLink(made.invitation.url); setInvite({ email: "", name: "", role: "sales" }); refresh(); },
    onError: (failure) => {
      if (failure instanceof ApiError && failure.errors.length) {
        setInviteErrors(Object.fromEntries(failure.errors.map((e) => [e.field, e.message])));
      } else {
        failed(failure);
      }
    },
  });
  const change = useMutation({
    mutationFn: ({ user, body }: { user: StaffUser; body: Record<string, unknown> }) => api("PATCH", `/api/users/${user.id}`, body),
    onSuccess: refresh,
    onError: failed,
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>Users and roles</Title>
        {canManage && <Button onClick={() => setInviting(true)}>Invite someone</Button>}
      </Group>
      {users.error && <Alert color="red">{problemText(users.error)}</Alert>}
      <Table.ScrollContainer minWidth={720}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Last login</Table.Th>
              <Table.Th>Active</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data?.data.map((u) => {
              const self = u.id === me?.id;
              return (
                <Table.Tr key={u.id}>
                  <Table.Td>{u.name || "—"}{self && <Badge ml="xs" size="xs" variant="light">you</Badge>}</Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    {canManage && !self ? (
                      <Select size="xs" w={130} data={(roles.data?.data ?? []).map((r) => r.name)} value={u.role}
                        aria-label={`Role of ${u.email}`} allowDeselect={false}
                        onChange={(role) => role && role !== u.role && change.mutate({ user: u, body: { role } })} />
                    ) : (
                      <Badge variant="light">{u.role}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={u.status === "active" ? "teal" : u.status === "invited" ? "yellow" : "gray"} variant="light">
                      {u.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{u.last_login ? new Date(u.last_login).toLocaleString() : "Never"}</Table.Td>
                  <Table.Td>
                    <Switch checked={u.is_active} disabled={!canManage || self} aria-label={`${u.email} active`}
                      onChange={() => change.mutate({ user: u, body: { is_active: !u.is_active } })} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <Modal opened={inviting} onClose={() => setInviting(false)} title="Invite someone">
        <form onSubmit={(e) => { e.preventDefault(); setInviteErrors({}); send.mutate(); }}>
          <Stack gap="sm">
            <TextInput label="E-mail" type="email" required value={invite.email} error={inviteErrors.email && `E-mail ${inviteErrors.email}`}
              onChange={(e) => setInvite({ ...invite, email: e.currentTarget.value })} />
            <TextInput label="Name" value={invite.name} onChange={(e) => setInvite({ ...invite, name: e.currentTarget.value })} />
            <Select label="Role" data={roleOptions} value={invite.role} allowDeselect={false} error={inviteErrors.role}
              onChange={(role) => role && setInvite({ ...invite, role })} />
            <Button type="submit" loading={send.isPending}>Create invitation</Button>
          </Stack>
        </form>
      </Modal>
      <Modal opened={link !== null} onClose={() => setLink(null)} title="Invitation link">
        <Stack>
          <Text size="sm">Send this link to the person you invited. It works once, for 7 days, and is shown only now.</Text>
          {/* Wrapped rather than scrolled: a scrolling box would need to take keyboard focus. */}
          <Code block data-testid="invitation-link" style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>{link}</Code>
          <CopyButton value={link ?? ""}>
            {({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? "Copied" : "Copy link"}</Button>}
          </CopyButton>
        </Stack>
      </Modal>
    </Stack>
  );
}
