// node-cron schedules. With a run coordinator, each tick runs on one replica only (see
// src/db/leases.ts); without one (embedded database = one instance), it runs locally. What runs
// when is wired in schedules.ts.
import cron, { type RunCoordinator, type ScheduledTask } from "node-cron";
import type { Logger } from "../logger";

export interface ScheduledJob {
  name: string;
  schedule: string;
  /** Receives the scheduled slot (the same on every replica). */
  run: (slot: Date) => Promise<unknown>;
}

export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly logger: Logger,
    private readonly coordinator?: RunCoordinator,
  ) {}

  add(job: ScheduledJob): void {
    const task = cron.schedule(
      job.schedule,
      (context) => {
        const run = job
          .run(context.date)
          .catch((error: unknown) => this.logger.error({ err: error, job: job.name }, "scheduled job failed"))
          .finally(() => this.running.delete(run));
        this.running.add(run);
        return run;
      },
      {
        name: job.name,
        noOverlap: true,
        ...(this.coordinator ? { distributed: true, runCoordinator: this.coordinator } : {}),
      },
    );
    this.tasks.push(task);
  }

  stop(): void {
    for (const task of this.tasks) void task.stop();
  }

  /** Waits for runs already started. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
