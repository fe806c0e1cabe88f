// An audit entry's changed fields, one a line: "Name: Ann → Anna", or only the values for a record
// that was created ("Name: Ann"). Shared by a customer's History tab and the audit log's details.
import { Stack, Text, VisuallyHidden } from "@mantine/core";

import { Change } from "./entries";

function Value({ value }: { value: string | null }) {
  return value === null ? <Text span size="sm" c="dimmed" fs="italic">empty</Text> : <Text span size="sm">{value}</Text>;
}

export function ChangeLines({ changes }: { changes: Change[] }) {
  if (changes.length === 0) return null;
  // A new record has nothing before: its values alone say it.
  const created = changes.every((c) => c.from === null);
  return (
    <Stack gap={2} component="ul" m={0} p={0} style={{ listStyle: "none" }}>
      {changes.map((c) => (
        <Text component="li" size="sm" key={c.field} data-testid="change" style={{ overflowWrap: "anywhere" }}>
          <Text span size="sm" fw={500}>{c.label}:</Text>{" "}
          {created ? <Value value={c.to} /> : (
            <>
              <Value value={c.from} /> <span aria-hidden="true">→</span><VisuallyHidden>changed to</VisuallyHidden>{" "}
              <Value value={c.to} />
            </>
          )}
        </Text>
      ))}
    </Stack>
  );
}
