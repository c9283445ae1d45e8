// The one place a number's binding changes. Every writer — a verified change (assignment.ts),
// Keep provider's (driftRepair.ts), a change left in doubt that sync found applied
// (inventorySync.ts) — commits here: inside one transaction, conditional on the claim it holds
// (lock token) or on the binding version it read, it writes the agent (inbound and outbound), what
// the provider was seen routing to, bumps bindingVersion, clears the claim and the intent, and
// appends the audit event. A spare that gets an agent stops being a spare (audited), so the routing
// check watches it again. A number seen for the first time is created with `firstBinding`.
import type { Db } from "../db/database";
import type { ProviderName } from "../domain/providers";
import { keptOutbound } from "../domain/routing";
import { type AuditEntry, recordAudit } from "./audit";

export interface BindingCommit {
  numberId: string;
  /** The claim held on the number (a change), or the binding version read (sync, which holds none). */
  guard: { lockToken: string } | { bindingVersion: number };
  /** Our agent for inbound calls; null = none. */
  agentId: string | null;
  /** The agent whose outbound caller ID the number is (R1: the same agent, unless kept from the provider). */
  outboundAgentId: string | null;
  /** What the provider was just seen routing the number to, when the writer read it. */
  observed?: { inbound: string[]; outbound?: string[] };
  observedAt?: Date;
  audit: AuditEntry;
}

/** Commits the binding; false when the guard no longer holds (nothing written). */
export async function commitBinding(db: Db, commit: BindingCommit): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const wasSpare =
      commit.agentId !== null &&
      (await tx.phoneNumber.count({ where: { id: commit.numberId, isSpare: true } })) === 1;
    const updated = await tx.phoneNumber.updateMany({
      where: { id: commit.numberId, ...commit.guard },
      data: {
        agentId: commit.agentId,
        outboundAgentId: commit.outboundAgentId,
        ...(commit.observed ? { providerAgentIds: commit.observed.inbound } : {}),
        ...(commit.observed?.outbound ? { providerOutboundAgentIds: commit.observed.outbound } : {}),
        ...(commit.observedAt ? { lastSyncedAt: commit.observedAt } : {}),
        bindingVersion: { increment: 1 },
        lockToken: null,
        lockedUntil: null,
        intentAgentId: null,
        intentUnbind: false,
        ...(commit.agentId !== null ? { isSpare: false } : {}),
      },
    });
    if (updated.count !== 1) return false;
    await recordAudit(tx, { ...commit.audit, numberId: commit.numberId });
    if (wasSpare) {
      await recordAudit(tx, {
        ...commit.audit,
        action: "spare_off",
        numberId: commit.numberId,
        before: { isSpare: true },
        after: { isSpare: false },
        detail: "assigned an agent, so no longer a spare: the routing check watches it again",
      });
    }
    return true;
  });
}

/**
 * The record of a number seen for the first time: the provider's binding is adopted when it is a
 * single known agent; where the provider keeps the outbound binding (Retell), that is what the
 * number does outbound. (A creation, not a change: the row starts at bindingVersion 0.)
 */
export function firstBinding(
  provider: ProviderName,
  observed: { inbound: string[]; outbound: string[] },
  agentIds: ReadonlyMap<string, string>,
) {
  const single = (ids: string[]) => (ids.length === 1 ? agentIds.get(ids[0]!) : undefined);
  const inbound = single(observed.inbound) ?? null;
  const kept = keptOutbound(provider, observed.outbound);
  return {
    agentId: inbound,
    outboundAgentId: (kept ? single(kept) : inbound) ?? null,
    providerAgentIds: observed.inbound,
    providerOutboundAgentIds: kept ?? [],
  };
}
