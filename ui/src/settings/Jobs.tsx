// Settings › Jobs (owners and admins, `jobs.manage`): the workspace's background jobs, newest
// first, by state and kind (the address bar holds the filters), in keyset pages. Running jobs show
// their progress, failed ones their error; Retry queues a failed job again, Cancel (confirmed)
// stops one. The page asks again every second while a job on it has not settled.
import {
  Alert, Anchor, Badge, Button, Flex, Group, Select, Skeleton, Stack, Table, Text, Title, VisuallyHidden,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router-dom";

import { Job, JobState, Page, api, problemText } from "../api";
import { ConfirmModal } from "../customers/parts";
import { formatWhen, relativeTime } from "../format";
import {
  canCancel, canRetry, exportResult, isActive, jobStates, kindText, knownKinds, progressText, stateOf,
} from "../jobs/jobs";
import { JobProgressBar } from "../jobs/JobProgressBar";
import { useSession } from "../session";
import { KeysetPager, useKeysetPages } from "./KeysetPager";

const pageSize = 25;

function JobProgress({ job }: { job: Job }) {
  const result = exportResult(job);
  if (job.state === "running" || job.state === "queued") {
    return (
      <Stack gap={2} miw={140}>
        <JobProgressBar job={job} label={`Job ${job.id} progress`} />
        <Text size="xs">{job.state === "queued" ? "Waiting" : progressText(job) ?? "Started"}</Text>
      </Stack>
    );
  }
  if (job.error && job.state !== "done") {
    return <Text size="sm" c="red" style={{ overflowWrap: "anywhere" }} data-testid="job-error">{job.error}</Text>;
  }
  if (result) {
    return (
      <Text size="sm">
        {result.rows.toLocaleString()} {result.rows === 1 ? "row" : "rows"} ·{" "}
        <Anchor href={result.download_url} download underline="always" size="sm">Download</Anchor>
      </Text>
    );
  }
  return job.state === "done" && progressText(job) ? <Text size="sm">{progressText(job)}</Text> : null;
}

export function JobsPage() {
  const client = useQueryClient();
  const me = useSession().data?.user;
  const allowed = me?.permissions.includes("jobs.manage") ?? false;
  const [params, setParams] = useSearchParams();
  const state = jobStates.some((s) => s.value === params.get("state")) ? (params.get("state") as JobState) : null;
  const kind = params.get("kind") || null;
  const pages = useKeysetPages(`${state}|${kind}`);
  const query = new URLSearchParams({ limit: String(pageSize) });
  if (state) query.set("state", state);
  if (kind) query.set("kind", kind);
  if (pages.cursor) query.set("cursor", pages.cursor);
  const jobs = useQuery({
    queryKey: ["jobs", "list", query.toString()], enabled: allowed, placeholderData: keepPreviousData,
    queryFn: () => api<Page<Job>>("GET", `/api/jobs?${query}`),
    refetchInterval: (q) => (q.state.data?.data.some(isActive) ? 1000 : false),
  });
  const rows = jobs.data?.data ?? [];
  const running = rows.some(isActive);
  const kinds = [...new Set([...knownKinds, ...rows.map((j) => j.kind), ...(kind ? [kind] : [])])];
  const narrow = useMediaQuery("(max-width: 48em)") ?? false;
  const [cancelling, setCancelling] = useState<Job | null>(null);
  const setFilter = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value); else next.delete(name);
    setParams(next);
  };
  const refresh = () => client.invalidateQueries({ queryKey: ["jobs"] });
  const failed = (title: string) => (failure: unknown) =>
    notifications.show({ color: "red", title, message: problemText(failure) });
  const retry = useMutation({
    mutationFn: (job: Job) => api<Job>("POST", `/api/jobs/${job.id}/retry`),
    onSuccess: (job) => { notifications.show({ color: "teal", message: `Job #${job.id} queued again.` }); refresh(); },
    onError: (failure) => { failed("Not retried")(failure); refresh(); },
  });
  const cancel = useMutation({
    mutationFn: (job: Job) => api<Job>("POST", `/api/jobs/${job.id}/cancel`),
    onSuccess: (job) => { setCancelling(null); notifications.show({ color: "teal", message: `Job #${job.id} cancelled.` }); refresh(); },
    onError: (failure) => { setCancelling(null); failed("Not cancelled")(failure); refresh(); },
  });

  if (!allowed) {
    return (
      <Stack>
        <Title order={3}>Jobs</Title>
        <Alert color="gray" title="Not for your role">The workspace's owners and admins see its background jobs.</Alert>
      </Stack>
    );
  }
  return (
    <Stack>
      <div>
        <Title order={3}>Jobs</Title>
        <Text size="sm" c="dimmed">
          Work that runs in the background, such as exports. A failed job is tried again a few times before it gives up;
          you can retry it then.
        </Text>
      </div>
      <Group gap="sm" align="flex-end">
        <Select label="State" placeholder="Any state" clearable w={{ base: "100%", xs: 200 }} value={state}
          data={jobStates.map((s) => ({ value: s.value, label: s.label }))} onChange={(v) => setFilter("state", v)} />
        <Select label="Kind" placeholder="Any kind" clearable searchable w={{ base: "100%", xs: 220 }} value={kind}
          data={kinds.map((k) => ({ value: k, label: kindText(k) }))} onChange={(v) => setFilter("kind", v)} />
        {running && <Text size="xs" c="dimmed" pb={8}>Updating every second while jobs run.</Text>}
      </Group>
      {jobs.error && <Alert color="red" role="alert">{problemText(jobs.error)}</Alert>}

      <div aria-busy={jobs.isFetching && !running} data-testid="job-results">
        {jobs.isPending ? (
          <Stack gap="xs" aria-label="Loading the jobs">
            {Array.from({ length: 5 }, (_, i) => <Skeleton key={i} height={40} radius="sm" />)}
          </Stack>
        ) : rows.length === 0 ? (
          <Text c="dimmed" ta="center" py="xl">{state || kind ? "No job matches these filters." : "No jobs yet."}</Text>
        ) : (
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Job</Table.Th>
                <Table.Th>State</Table.Th>
                {!narrow && <Table.Th>Progress or error</Table.Th>}
                {!narrow && <Table.Th>Attempts</Table.Th>}
                {!narrow && <Table.Th>Created</Table.Th>}
                <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((job) => {
                const shown = stateOf(job.state);
                return (
                  <Table.Tr key={job.id} data-testid="job-row" data-job={job.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>{kindText(job.kind)}</Text>
                      <Text size="xs" c="dimmed">#{job.id}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={shown.color}>{shown.label}</Badge>
                      {/* On a phone the progress or error goes under the state. */}
                      {narrow && <Stack mt={6}><JobProgress job={job} /></Stack>}
                    </Table.Td>
                    {!narrow && <Table.Td maw={360}><JobProgress job={job} /></Table.Td>}
                    {!narrow && <Table.Td>{job.attempts} of {job.max_attempts}</Table.Td>}
                    {!narrow && (
                      <Table.Td>
                        <Text size="sm"><time dateTime={job.created_at}>{formatWhen(job.created_at)}</time></Text>
                        <Text size="xs" c="dimmed">{relativeTime(job.created_at)}</Text>
                      </Table.Td>
                    )}
                    <Table.Td w={1}>
                      <Flex gap={4} justify="flex-end" direction={narrow ? "column" : "row"} align="flex-end">
                        {canRetry(job) && (
                          <Button size="compact-sm" variant="subtle" aria-label={`Retry job ${job.id}`}
                            loading={retry.isPending && retry.variables?.id === job.id} onClick={() => retry.mutate(job)}>
                            Retry
                          </Button>
                        )}
                        {canCancel(job) && (
                          <Button size="compact-sm" variant="subtle" color="red" aria-label={`Cancel job ${job.id}`}
                            onClick={() => setCancelling(job)}>
                            Cancel
                          </Button>
                        )}
                      </Flex>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </div>
      {!(rows.length === 0 && pages.number === 1) && (
        <KeysetPager pages={pages} nextCursor={jobs.data?.next_cursor} busy={jobs.isPlaceholderData} />
      )}

      <ConfirmModal opened={cancelling !== null} title={`Cancel job #${cancelling?.id ?? ""}?`} confirm="Cancel the job"
        dismiss="Keep it" busy={cancel.isPending} onClose={() => setCancelling(null)}
        onConfirm={() => cancelling && cancel.mutate(cancelling)}>
        <Text size="sm">
          {cancelling && kindText(cancelling.kind)} #{cancelling?.id} stops
          {cancelling?.state === "running" ? " at its next step" : " before it runs"}, and is not tried again. What it
          did so far stays done.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
