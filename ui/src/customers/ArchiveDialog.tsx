// "Archive selected": asks first, archives one customer after the other, and says per customer what
// stopped it. A company with live contacts is refused (409); it can then be archived with them.
import { Alert, Button, Group, List, Modal, Progress, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import { Customer, api } from "../api";
import { Outcome, archiveFailureText, blockingContacts, countText, forEach } from "./bulk";

interface Props {
  customers: Customer[];
  opened: boolean;
  onClose: () => void;
  /** Called with the customers that were archived, once a run ends. */
  onArchived: (ids: number[]) => void;
}

export function ArchiveDialog({ customers, opened, onClose, onArchived }: Props) {
  const [failures, setFailures] = useState<Outcome[]>([]);
  const [running, setRunning] = useState<{ done: number; of: number } | null>(null);
  const companiesWithContacts = failures.filter((f) => blockingContacts(f.error) !== null);

  async function archive(targets: Customer[], withContacts: boolean) {
    setRunning({ done: 0, of: targets.length });
    const outcomes = await forEach(targets,
      (c) => api("DELETE", `/api/customers/${c.id}${withContacts ? "?cascade=contacts" : ""}`),
      (done) => setRunning({ done, of: targets.length }));
    setRunning(null);
    const archived = outcomes.filter((o) => o.error === undefined);
    const failed = outcomes.filter((o) => o.error !== undefined);
    if (archived.length) {
      notifications.show({
        color: "teal",
        message: `${countText(archived.length)} archived${withContacts ? ", with their contacts" : ""}.`,
      });
      onArchived(archived.map((o) => o.customer.id));
    }
    setFailures(failed);
    if (failed.length === 0) onClose();
  }

  function close() {
    if (running) return;  // a run in progress finishes; its outcome is what the person needs to see
    setFailures([]);
    onClose();
  }

  const shown = customers.slice(0, 5);
  return (
    <Modal opened={opened} onClose={close} title={failures.length ? "Some were not archived" : "Archive customers"}>
      {failures.length === 0 ? (
        <Stack>
          <Text size="sm">
            Archive {countText(customers.length)}? They leave the customer lists; you can restore them from
            Archived.
          </Text>
          <List size="sm" spacing={2}>
            {shown.map((c) => <List.Item key={c.id}>{c.name}</List.Item>)}
            {customers.length > shown.length && <List.Item>and {customers.length - shown.length} more</List.Item>}
          </List>
          {running && <Progress value={(running.done / running.of) * 100} aria-label="Archiving" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={running !== null}>Cancel</Button>
            <Button color="red" loading={running !== null} onClick={() => archive(customers, false)}>
              Archive {countText(customers.length)}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          {failures.map((f) => (
            <Alert key={f.customer.id} color="orange" role="alert">{archiveFailureText(f)}</Alert>
          ))}
          {running && <Progress value={(running.done / running.of) * 100} aria-label="Archiving" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={running !== null}>Close</Button>
            {companiesWithContacts.length > 0 && (
              <Button color="red" loading={running !== null}
                onClick={() => archive(companiesWithContacts.map((f) => f.customer), true)}>
                {companiesWithContacts.length === 1 ? "Archive it with its contacts" : "Archive them with their contacts"}
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
