// Leases in the database (JobLease rows), for work that must not run twice: node-cron's run
// coordinator (for each scheduled slot, the first replica to insert the slot's lease runs the job),
// `withRunLock` (runs of one job never overlap, whatever triggered them), and their pruning.
// Works on PostgreSQL across processes (and trivially on PGlite, where there is only one).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { RunCoordinator } from "node-cron";
import type { Db } from "./database";

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

export interface RunLockOptions {
  /** How long a lease lasts without renewal (a crashed holder blocks others at most this long). */
  ttlMs?: number;
  /** How long to wait for another holder to finish before giving up. */
  waitMs?: number;
  pollMs?: number;
}

/**
 * Runs `work` while holding the lease `name`, so runs of one job never overlap, whichever replica
 * (or trigger: schedule, slash command) starts them. Waits while another holder runs; takes over a
 * lease whose holder stopped renewing it. Renewed while `work` runs; released when it ends.
 */
export async function withRunLock<T>(
  db: Db,
  name: string,
  work: () => Promise<T>,
  { ttlMs = 10 * 60_000, waitMs = 5 * 60_000, pollMs = 200 }: RunLockOptions = {},
): Promise<T> {
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  const deadline = Date.now() + waitMs;
  while (!(await acquire(db, name, holder, ttlMs))) {
    if (Date.now() > deadline) throw new Error(`${name} is still running elsewhere; try again later`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const renew = setInterval(
    () => {
      void db.jobLease
        .updateMany({ where: { name, holder }, data: { expiresAt: new Date(Date.now() + ttlMs) } })
        .catch(() => {});
    },
    Math.max(Math.floor(ttlMs / 3), 1000),
  );
  renew.unref();
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await db.jobLease.deleteMany({ where: { name, holder } }).catch(() => {});
  }
}

async function acquire(db: Db, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const expiresAt = new Date(Date.now() + ttlMs);
  const created = await db.jobLease.createMany({ data: [{ name, holder, expiresAt }], skipDuplicates: true });
  if (created.count === 1) return true;
  // Conditional on expiry: of two replicas taking over a stale lease, only one matches.
  const taken = await db.jobLease.updateMany({
    where: { name, expiresAt: { lt: new Date() } },
    data: { holder, expiresAt },
  });
  return taken.count === 1;
}

/** Slot leases are only needed while replicas could still race for that slot. */
export async function pruneLeases(db: Db, olderThanMs = 24 * 3_600_000): Promise<number> {
  const pruned = await db.jobLease.deleteMany({
    where: { expiresAt: { lt: new Date(Date.now() - olderThanMs) } },
  });
  return pruned.count;
}
