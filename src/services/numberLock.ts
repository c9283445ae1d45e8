// Holds one number for the length of a change (provider write → read-back → commit), across
// replicas, with the database as the arbiter. The claim is also the optimistic-concurrency check:
// it only succeeds while the number's binding is still the one the user saw.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/database";
import { type Clock, systemClock } from "../lib/clock";
import { DomainError } from "./errors";

const LOCK_MS = 60_000;

/**
 * Claims the number and records the intended binding (write-ahead): if the change is left in
 * doubt (crash, timeout, failed read-back), sync settles it against the provider.
 */
export async function claimNumber(
  db: Db,
  numberId: string,
  expectedVersion: number,
  intent?: { agentId: string | null },
  clock: Clock = systemClock,
): Promise<string> {
  const token = randomUUID();
  const now = clock.now();
  const claimed = await db.phoneNumber.updateMany({
    where: {
      id: numberId,
      bindingVersion: expectedVersion,
      OR: [{ lockToken: null }, { lockedUntil: { lt: now } }],
    },
    data: {
      lockToken: token,
      lockedUntil: new Date(now.getTime() + LOCK_MS),
      intentAgentId: intent?.agentId ?? null,
      intentUnbind: intent !== undefined && intent.agentId === null,
    },
  });
  if (claimed.count === 1) return token;
  const current = await db.phoneNumber.findUnique({ where: { id: numberId }, include: { agent: true } });
  if (current && current.bindingVersion !== expectedVersion) {
    throw new DomainError(
      "number_changed",
      `${current.e164} changed while you were deciding: it is now ${current.agent ? `on ${current.agent.name}` : "unassigned"}. Nothing was changed by this request; look again and retry if you still want it.`,
      "number",
    );
  }
  throw new DomainError(
    "number_busy",
    `Another change to ${current?.e164 ?? "this number"} is in progress. Nothing was changed by this request; try again in a moment.`,
    "number",
  );
}

/** Releases the claim; `inDoubt` keeps the intent for sync to settle (the provider may have the change). */
export async function releaseNumber(db: Db, numberId: string, token: string, inDoubt = false): Promise<void> {
  await db.phoneNumber.updateMany({
    where: { id: numberId, lockToken: token },
    data: {
      lockToken: null,
      lockedUntil: null,
      ...(inDoubt ? {} : { intentAgentId: null, intentUnbind: false }),
    },
  });
}
