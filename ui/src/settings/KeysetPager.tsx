// Keyset pages for the settings tables (audit log, jobs): the cursors of the pages before this one,
// started afresh whenever the filters change, and the Previous / Next buttons.
import { Button, Group, Loader, Text } from "@mantine/core";
import { useState } from "react";

//! `key` names the filters in force: a new key starts at the first page.
export function useKeysetPages(key: string) {
  const [state, setState] = useState<{ key: string; cursors: string[] }>({ key, cursors: [] });
  const cursors = state.key === key ? state.cursors : [];
  return {
    cursor: cursors[cursors.length - 1] as string | undefined,
    number: cursors.length + 1,
    next: (cursor: string) => setState({ key, cursors: [...cursors, cursor] }),
    previous: () => setState({ key, cursors: cursors.slice(0, -1) }),
  };
}

export function KeysetPager({ pages, nextCursor, busy }: {
  pages: ReturnType<typeof useKeysetPages>;
  nextCursor: string | null | undefined;
  /** The rows asked for are on their way (the ones shown are the previous): Next waits for them. */
  busy: boolean;
}) {
  return (
    <Group justify="space-between" gap="sm">
      <Group gap="xs">
        <Text size="sm" c="dimmed" aria-live="polite">Page {pages.number}</Text>
        {busy && <Loader size={14} role="status" aria-label="Loading" />}
      </Group>
      <Group gap="xs">
        <Button variant="default" disabled={pages.number === 1} onClick={pages.previous}>Previous</Button>
        <Button variant="default" disabled={!nextCursor || busy} onClick={() => nextCursor && pages.next(nextCursor)}>
          Next
        </Button>
      </Group>
    </Group>
  );
}
