// A customer's History tab: its audit trail, newest first (the record, its addresses and avatar,
// its portal access): what was done, by whom, when, and each changed field's old and new value.
// Twenty entries at a time, with "Load more" following the keyset cursor.
import { Alert, Button, Card, Center, Loader, Stack, Text, Timeline } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";

import { AuditEvent, Page, api, problemText } from "../api";
import { ChangeLines } from "../audit/Changes";
import { actionText, actorText, changeList } from "../audit/entries";
import { formatWhen, relativeTime } from "../format";
import { customerKey } from "./customerQueries";

const pageSize = 20;

export const historyKey = (customerId: number) => [...customerKey(customerId), "history"] as const;

export function HistoryTab({ customerId }: { customerId: number }) {
  const history = useInfiniteQuery({
    queryKey: historyKey(customerId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(pageSize) });
      if (pageParam) params.set("cursor", pageParam);
      return api<Page<AuditEvent>>("GET", `/api/customers/${customerId}/history?${params}`);
    },
    getNextPageParam: (last) => last.next_cursor,
  });

  if (history.isPending) return <Center py="xl"><Loader role="status" aria-label="Loading the history" /></Center>;
  if (!history.data) return <Alert color="red" role="alert">{problemText(history.error)}</Alert>;
  const entries = history.data.pages.flatMap((page) => page.data);
  if (entries.length === 0) return <Text c="dimmed" ta="center" py="xl">No history yet.</Text>;

  return (
    <Card withBorder padding="lg">
      <Stack>
        <Timeline bulletSize={14} lineWidth={2} active={-1}>
          {entries.map(historyItem)}
        </Timeline>
        {history.hasNextPage && (
          <Button variant="default" loading={history.isFetchingNextPage} onClick={() => history.fetchNextPage()}
            style={{ alignSelf: "center" }}>
            Load more
          </Button>
        )}
        {history.error && <Alert color="red" role="alert">{problemText(history.error)}</Alert>}
      </Stack>
    </Card>
  );
}

//! One entry as a Timeline.Item (a plain function: the Timeline gives its items their place by
//! cloning them, which a component of ours would have to pass on).
function historyItem(entry: AuditEvent) {
  return (
    <Timeline.Item key={entry.id} title={actionText(entry.action)} data-testid="history-entry">
      <Text size="xs" c="dimmed" mb={4}>
        {actorText(entry.actor)} · <time dateTime={entry.at}>{formatWhen(entry.at)}</time> · {relativeTime(entry.at)}
      </Text>
      <ChangeLines changes={changeList(entry.changes)} />
    </Timeline.Item>
  );
}
