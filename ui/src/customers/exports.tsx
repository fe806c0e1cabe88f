// Customer exports the user started: followed until their file is ready wherever the user is in
// the app (the provider sits in the app's frame), each with a notification that shows its progress
// and then the download link. The exports followed survive a reload (session storage).
import { Alert, Anchor, Button, Group, Modal, Radio, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueries, useQueryClient } from "@tanstack/react-query";
import { ReactNode, createContext, useContext, useEffect, useState } from "react";

import { ApiError, Job, api, problemText } from "../api";
import { JobProgressBar } from "../jobs/JobProgressBar";
import { exportResult, isActive, progressText, sizeText } from "../jobs/jobs";
import { useSession } from "../session";
import { ListFilters, Preset, activeFilters, exportFilter } from "./listQuery";


type Format = "csv" | "jsonl";
const formatNames: Record<Format, string> = { csv: "CSV", jsonl: "JSON lines" };

interface Followed {
  id: number;
  format: Format;
}

interface Exports {
  /** The exports followed, as last seen (running ones, and finished ones until dismissed). */
  jobs: (Job & { format: Format })[];
  start: (format: Format, filter: Record<string, string | number | boolean>) => Promise<Job>;
}

const ExportsContext = createContext<Exports | null>(null);

export function useExports(): Exports {
  const exports = useContext(ExportsContext);
  if (!exports) throw new Error("useExports needs an ExportsProvider");
  return exports;
}

function stored(storageKey: string): Followed[] {
  try {
    const all: unknown = JSON.parse(sessionStorage.getItem(storageKey) ?? "[]");
    if (!Array.isArray(all)) return [];
    return all.filter((f): f is Followed =>
      typeof f === "object" && f !== null && Number.isSafeInteger(f.id) && f.id > 0 && f.format in formatNames);
  } catch {
    return [];
  }
}

//! The notification of one export: progress while it runs, the link once done, the error if not.
function notify(job: Job, format: Format, onClose: () => void) {
  const id = `export-${job.id}`;
  const result = exportResult(job);
  const base = { id, autoClose: false as const, withCloseButton: true, onClose };
  let shown;
  if (result) {
    shown = {
      ...base, color: "teal", title: "Export ready",
      message: (
        <Stack gap={4}>
          <Anchor href={result.download_url} download underline="always" size="sm" data-testid="export-download">
            Download the customers ({formatNames[format]})
          </Anchor>
          <Text size="xs">
            {result.rows.toLocaleString()} {result.rows === 1 ? "customer" : "customers"}, {sizeText(result.bytes)}.
            The link works for 24 hours.
          </Text>
        </Stack>
      ),
    };
  } else if (isActive(job)) {
    shown = {
      ...base, color: "indigo", title: job.state === "failed" ? "Export failed, trying again" : `Exporting customers (${formatNames[format]})`,
      message: (
        <Stack gap={4}>
          <JobProgressBar job={job} label={`Export ${job.id} progress`} />
          <Text size="xs">
            {job.state === "queued" ? "Waiting to start…" : progressText(job) ? `${progressText(job)} customers` : "Starting…"}
          </Text>
        </Stack>
      ),
    };
  } else {
    shown = {
      ...base, color: "red", title: job.state === "cancelled" ? "Export cancelled" : "Export failed",
      message: job.error ?? "The export stopped before its file was ready.",
    };
  }
  notifications.show(shown);  // once: a second show of the same id is ignored…
  notifications.update(shown);  // …so later states update it
}

export function ExportsProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  // Per user: someone else signing in on this tab does not see these.
  const storageKey = `clientele.exports.${useSession().data?.user.id}`;
  const [ids, setIds] = useState<Followed[]>(() => stored(storageKey));
  useEffect(() => sessionStorage.setItem(storageKey, JSON.stringify(ids)), [ids]);
  const forget = (id: number) => setIds((all) => all.filter((other) => other.id !== id));

  const followed = useQueries({
    queries: ids.map(({ id }) => ({
      queryKey: ["exports", id],
      queryFn: () => api<Job>("GET", `/api/customers/exports/${id}`),
      // Once a second while it runs; a finished export is asked no more.
      refetchInterval: (query: { state: { data?: Job } }) => (query.state.data && !isActive(query.state.data) ? false : 1000),
    })),
  });
  const jobs = followed.flatMap((q, i) => (q.data ? [{ ...q.data, format: ids[i].format }] : []));
  const seen = jobs.map((job) => `${job.id}:${job.state}:${job.progress.done}`).join(",");
  useEffect(() => {
    for (const job of jobs) {
      notify(job, job.format, () => forget(job.id));
      if (!isActive(job)) client.invalidateQueries({ queryKey: ["jobs"] });
    }
    // An export that is gone (expired, another session's workspace) is no longer followed.
    followed.forEach((q, i) => {
      if (q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 401)) forget(ids[i].id);
    });
  }, [seen, followed.map((q) => Boolean(q.error)).join()]);

  const start: Exports["start"] = async (format, filter) => {
    const job = await api<Job>("POST", "/api/customers/exports", { format, filter });
    client.setQueryData(["exports", job.id], job);
    setIds((all) => [...all, { id: job.id, format }]);
    return job;
  };

  return <ExportsContext.Provider value={{ jobs, start }}>{children}</ExportsContext.Provider>;
}

const nouns: Record<Preset, [string, string]> = {
  all: ["customer", "customers"], individuals: ["individual", "individuals"], companies: ["company", "companies"],
  archived: ["archived customer", "archived customers"],
};

//! The customer list's Export button: the format is chosen in a dialog that says what will be
//! exported (the list as shown, every page); the exports running show their progress below it.
export function ExportButton({ filters, matching }: { filters: ListFilters; matching: number | null }) {
  const { start } = useExports();
  const [opened, setOpened] = useState(false);
  const [format, setFormat] = useState<Format>("csv");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const narrowed = Boolean(filters.q) || activeFilters(filters).length > 0;
  const [one, many] = nouns[filters.preset];
  const submit = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await start(format, exportFilter(filters));
      setOpened(false);
    } catch (failure) {
      setProblem(problemText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant="default" onClick={() => { setProblem(null); setOpened(true); }}>Export</Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Export customers">
        <Stack>
          <Text size="sm">
            {matching === null ? `The ${many}` : `The ${matching.toLocaleString()} ${matching === 1 ? one : many}`}{" "}
            this list shows{narrowed ? ", with its search and filters," : ""} in its order, every page of them. The
            file is made in the background: you can go on working and download it when it is ready.
          </Text>
          <Radio.Group label="Format" value={format} onChange={(value) => setFormat(value as Format)}>
            <Stack gap="xs" mt={6}>
              <Radio value="csv" label="CSV, for spreadsheets" />
              <Radio value="jsonl" label="JSON lines, one customer per line with every field" />
            </Stack>
          </Radio.Group>
          {problem && <Alert color="red" role="alert">{problem}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>Cancel</Button>
            <Button loading={busy} onClick={submit}>Export</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

//! The exports still running, as progress bars under the list's toolbar.
export function ExportProgress() {
  const running = useExports().jobs.filter(isActive);
  if (running.length === 0) return null;
  return (
    <Stack gap={6}>
      {running.map((job) => {
        return (
          <Stack key={job.id} gap={2} data-testid="export-progress">
            <Text size="xs">
              Exporting ({formatNames[job.format]}){progressText(job) ? `: ${progressText(job)} customers` : "…"}
            </Text>
            <JobProgressBar job={job} label={`Export ${job.id} progress`} />
          </Stack>
        );
      })}
    </Stack>
  );
}
