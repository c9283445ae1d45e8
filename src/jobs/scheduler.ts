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
    coordinator?: RunCoordinator,
  ) {
    this.coordinator = coordinator && this.tracked(coordinator);
  }

  private readonly coordinator?: RunCoordinator;
  /** Slots between their election and the end of their run, by lease key. */
  private readonly elected = new Map<string, () => void>();

  /**
   * node-cron runs an elected slot even if the task was stopped while the election was under way,
   * so a slot counts as running from the moment it asks for its lease until its run completes:
   * drain() then also waits for a run that had not started yet when it was called.
   */
  private tracked(inner: RunCoordinator): RunCoordinator {
    return {
      shouldRun: async (key, ttlMs) => {
        let settle!: () => void;
        const slot = new Promise<void>((resolve) => {
          settle = resolve;
        }).finally(() => this.running.delete(slot));
        this.running.add(slot);
        try {
          const allowed = await inner.shouldRun(key, ttlMs);
          if (allowed) this.elected.set(key, settle);
          else settle();
          return allowed;
        } catch (error) {
          settle();
          throw error;
        }
      },
      onComplete: async (key) => {
        try {
          await inner.onComplete?.(key);
        } finally {
          this.elected.get(key)?.();
          this.elected.delete(key);
        }
      },
    };
  }

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

  /** Waits for runs already started, and for slots elected but not yet started. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
