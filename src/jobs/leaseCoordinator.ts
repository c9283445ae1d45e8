// node-cron RunCoordinator backed by the database: for each scheduled slot, the first replica to
// insert the slot's lease row runs the job; the others skip it. Works on PostgreSQL across
// processes (and trivially on PGlite, where there is only one).
import { hostname } from "node:os";
import type { RunCoordinator } from "node-cron";
import type { Db } from "../db/database";

export function leaseCoordinator(db: Db, holder = `${hostname()}:${process.pid}`): RunCoordinator {
  return {
    async shouldRun(key: string, ttlMs: number): Promise<boolean> {
      const created = await db.jobLease.createMany({
        data: [{ name: key, holder, expiresAt: new Date(Date.now() + Math.max(ttlMs, 60_000)) }],
        skipDuplicates: true,
      });
      return created.count === 1;
    },
  };
}

/** Slot leases are only needed while replicas could still race for that slot. */
export async function pruneLeases(db: Db, olderThanMs = 24 * 3_600_000): Promise<number> {
  const pruned = await db.jobLease.deleteMany({
    where: { expiresAt: { lt: new Date(Date.now() - olderThanMs) } },
  });
  return pruned.count;
}
