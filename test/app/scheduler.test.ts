// The scheduler's drain on several replicas: node-cron runs a slot whose lease was won even when the
// task was stopped during the election, so drain() must wait for that run too (or shutdown would cut
// it, and a stopped replica would leave a lease with no run behind it).

import type { RunCoordinator } from "node-cron";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { Scheduler } from "../../src/jobs/scheduler";

const EVERY_SECOND = "* * * * * *";

describe("Scheduler with a run coordinator", () => {
  let scheduler: Scheduler | undefined;
  afterEach(() => scheduler?.stop());

  it("drain() waits for a slot elected while the scheduler was stopping, until its run ends", async () => {
    const events: string[] = [];
    let electionAsked!: () => void;
    const asked = new Promise<void>((resolve) => {
      electionAsked = resolve;
    });
    let decide!: (allowed: boolean) => void;
    const coordinator: RunCoordinator = {
      shouldRun: () => {
        electionAsked();
        return new Promise<boolean>((resolve) => {
          decide = resolve;
        });
      },
      onComplete: () => {
        events.push("lease completed");
      },
    };
    scheduler = new Scheduler(pino({ level: "silent" }), coordinator);
    scheduler.add({
      name: "routing-check",
      schedule: EVERY_SECOND,
      run: async () => {
        events.push("run started");
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push("run finished");
      },
    });

    await asked; // a tick is asking for its lease
    scheduler.stop();
    const drained = scheduler.drain().then(() => events.push("drained"));
    decide(true); // ... and wins it after the stop
    await drained;
    expect(events).toEqual(["run started", "run finished", "lease completed", "drained"]);
  });

  it("a slot another replica won does not hold drain()", async () => {
    let electionAsked!: () => void;
    const asked = new Promise<void>((resolve) => {
      electionAsked = resolve;
    });
    let ran = false;
    scheduler = new Scheduler(pino({ level: "silent" }), {
      shouldRun: async () => {
        electionAsked();
        return false;
      },
    });
    scheduler.add({
      name: "routing-check",
      schedule: EVERY_SECOND,
      run: async () => {
        ran = true;
      },
    });
    await asked;
    scheduler.stop();
    await scheduler.drain();
    expect(ran).toBe(false);
  });
});
