// One-click repair of drifted routing (R8, "check that the number assignment saved"): Restore
// writes Switchboard's binding back through the normal assignment path (so production numbers
// still need an approval and the write is read back); Keep provider's adopts what the provider
// has, after reading it live. A weighted split is resolved by keeping one agent.
import type { Db } from "../db/database";
import type { Agent } from "../generated/prisma/client";
import type { ProviderRegistry } from "../providers/registry";
import { PROVIDER_LABEL } from "../providers/types";
import type { AssignmentService, ChangeOutcome } from "./assignment";
import { recordAudit } from "./audit";
import type { ChangeFeed } from "./changeFeed";
import { DomainError } from "./errors";
import type { InventoryService } from "./inventory";
import { claimNumber, releaseNumber } from "./numberLock";
import type { RoutingCheckService } from "./routingCheck";

const DRIFT_KINDS = ["drift", "multiple_agents"] as const;

export type KeepOutcome =
  | { outcome: "adopted"; e164: string; agentName: string | null }
  | { outcome: "choose"; e164: string; candidates: Agent[] }
  | { outcome: "in_sync"; e164: string };

export class DriftRepairService {
  constructor(
    private readonly db: Db,
    private readonly inventory: InventoryService,
    private readonly providers: ProviderRegistry,
    private readonly assignment: AssignmentService,
    private readonly check: RoutingCheckService,
    private readonly changes: ChangeFeed,
  ) {}

  /** Restore: make the provider route the number as Switchboard's record (as it is now) says. */
  async restore(numberId: string, actor: string): Promise<ChangeOutcome> {
    await this.observe(numberId);
    const number = await this.inventory.numberById(numberId);
    const outcome = await this.assignment.requestChange({
      actor,
      source: "button",
      numberId,
      targetAgentId: number.agentId,
      expectedVersion: number.bindingVersion,
      confirmed: true,
    });
    if (outcome.outcome === "applied" || outcome.outcome === "noop")
      await this.check.resolveNumber(numberId, [...DRIFT_KINDS]);
    return outcome;
  }

  /** Keep provider's: adopt the provider's single agent (or none) as the record; several → choose one. */
  async keepProviders(numberId: string, actor: string): Promise<KeepOutcome> {
    const number = await this.inventory.numberById(numberId);
    const live = await this.observe(numberId);
    if (live.length > 1) {
      const candidates = await this.db.agent.findMany({
        where: { provider: number.provider, providerAgentId: { in: live } },
      });
      return { outcome: "choose", e164: number.e164, candidates };
    }
    const agent = live[0]
      ? await this.db.agent.findFirst({
          where: { provider: number.provider, providerAgentId: live[0], goneAt: null },
        })
      : null;
    if (live[0] && !agent) {
      throw new DomainError(
        "unknown_agent",
        `${PROVIDER_LABEL[number.provider]} routes ${number.e164} to ${live[0]}, an agent Switchboard does not know yet: run \`/numbers sync\`, then try again.`,
      );
    }
    if ((agent?.id ?? null) === number.agentId) {
      await this.check.resolveNumber(numberId, [...DRIFT_KINDS]);
      return { outcome: "in_sync", e164: number.e164 };
    }
    const token = await claimNumber(this.db, numberId, number.bindingVersion);
    try {
      await this.db.$transaction(async (tx) => {
        await tx.phoneNumber.updateMany({
          where: { id: numberId, lockToken: token },
          data: {
            agentId: agent?.id ?? null,
            outboundAgentId: agent?.id ?? null,
            bindingVersion: { increment: 1 },
            lockToken: null,
            lockedUntil: null,
          },
        });
        await recordAudit(tx, {
          actor,
          action: "adopt_provider",
          source: "button",
          outcome: "applied",
          numberId,
          e164: number.e164,
          provider: number.provider,
          before: { agentId: number.agentId, agent: number.agent?.name ?? null },
          after: { agentId: agent?.id ?? null, agent: agent?.name ?? null },
          detail: "kept the provider's routing as Switchboard's record",
        });
      });
    } finally {
      await releaseNumber(this.db, numberId, token);
    }
    this.changes.emit();
    await this.check.resolveNumber(numberId, [...DRIFT_KINDS]);
    return { outcome: "adopted", e164: number.e164, agentName: agent?.name ?? null };
  }

  /** Keep one of several weighted agents: the others are removed at the provider (a normal, verified change). */
  async keepOne(numberId: string, agentId: string, actor: string): Promise<ChangeOutcome> {
    await this.observe(numberId);
    const outcome = await this.assignment.requestChange({
      actor,
      source: "button",
      numberId,
      targetAgentId: agentId,
      confirmed: true,
    });
    if (outcome.outcome === "applied") await this.check.resolveNumber(numberId, [...DRIFT_KINDS]);
    return outcome;
  }

  /** Reads the number live and records what the provider routes it to now. */
  private async observe(numberId: string): Promise<string[]> {
    const number = await this.inventory.numberById(numberId);
    const provider = this.providers.get(number.provider);
    if (!provider) {
      throw new DomainError(
        "provider_not_configured",
        `${PROVIDER_LABEL[number.provider]} is not configured.`,
      );
    }
    const live = await provider.getNumber({ providerNumberId: number.providerNumberId, e164: number.e164 });
    await this.db.phoneNumber.update({
      where: { id: numberId },
      data: { providerAgentIds: live.inboundAgentIds, lastSyncedAt: new Date() },
    });
    return live.inboundAgentIds;
  }
}
