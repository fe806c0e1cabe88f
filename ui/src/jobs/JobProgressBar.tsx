// A job's progress bar: its share done once the total is known; until then a moving bar that
// claims no share (an indeterminate progressbar: no aria-valuenow).
import { Progress } from "@mantine/core";

import type { Job } from "../api";
import { progressPercent } from "./jobs";

export function JobProgressBar({ job, label }: { job: Pick<Job, "progress" | "state">; label: string }) {
  const percent = progressPercent(job);
  if (percent !== null) return <Progress value={percent} aria-label={label} />;
  const moving = job.state === "running";
  return (
    <Progress.Root role="progressbar" aria-label={label}>
      <Progress.Section value={moving ? 100 : 0} animated={moving} withAria={false} />
    </Progress.Root>
  );
}
