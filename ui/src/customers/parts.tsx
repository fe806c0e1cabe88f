// Small pieces the customer screens repeat: the conflict (412) explanation with its Reload, a
// labelled value of a record, and a confirmation dialog.
import { Alert, Button, Group, Modal, Stack, Table, Text } from "@mantine/core";
import { ReactNode, useState } from "react";

//! Says that someone else changed the record since the user opened it, and offers to load the
//! current version (which discards what the user typed: said plainly, not hidden).
export function ConflictAlert({ what, onReload }: { what: string; onReload: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <Alert color="yellow" title="Changed by someone else">
      <Stack gap="xs">
        <Text size="sm">
          Someone else changed this {what} since you opened it, so your changes were not saved. Reload to see the
          current version; your changes here are then discarded, and you can make them again.
        </Text>
        <Group>
          <Button variant="white" color="dark" loading={busy}
            onClick={async () => { setBusy(true); try { await onReload(); } finally { setBusy(false); } }}>
            Reload
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

//! A table that scrolls sideways on a narrow screen, its scrolling region reachable by keyboard
//! (a focusable, named region: a table of text alone has nothing else to focus).
export function ScrollTable({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <Table.ScrollContainer minWidth={minWidth}
      scrollAreaProps={{ viewportProps: { tabIndex: 0, role: "region", "aria-label": label } }}>
      {children}
    </Table.ScrollContainer>
  );
}

//! One labelled value of a record; "—" (dimmed) when there is none.
export function Field({ label, children }: { label: string; children?: ReactNode }) {
  const empty = children === null || children === undefined || children === "" || children === false;
  return (
    <div>
      <Text size="xs" c="dimmed" fw={500} tt="uppercase" lts={0.3}>{label}</Text>
      {empty ? <Text size="sm" c="dimmed">—</Text> : typeof children === "string" || typeof children === "number"
        ? <Text size="sm" style={{ overflowWrap: "anywhere" }}>{children}</Text> : children}
    </div>
  );
}

//! A yes-or-no question before something that is not undone by a click.
export function ConfirmModal({ opened, title, children, confirm, dismiss = "Cancel", color = "red", busy, onConfirm, onClose }: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirm: string;
  /** The button that answers no ("Keep it running" where "Cancel" would read as the action). */
  dismiss?: string;
  color?: string;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        {children}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{dismiss}</Button>
          <Button color={color} loading={busy} onClick={onConfirm}>{confirm}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
