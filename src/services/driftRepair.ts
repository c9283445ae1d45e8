// One-click repair of drifted routing (R8, "check that the number assignment saved"): Restore
// writes Switchboard's binding back through the normal assignment path (so production numbers
// still need an approval and the write is read back); Keep provider's adopts what the provider
// has, after reading it live. A weighted split is resolved by keeping one agent.
import type { Db } from "../db/database";
import { PROVIDER_LABEL } from "../domain/providers";
import { type ObservedRouting, observed, routesAsRecorded } from "../domain/routing";
import type { Agent } from "../generated/prisma/client";
import { type Clock, systemClock } from "../lib/clock";
import type { ProviderRegistry } from "../providers/registry";
import type { AccessGate } from "./access";
import type { AssignmentService, ChangeOutcome } from "./assignment";
import { commitBinding } from "./bindings";
import type { ChangeFeed } from "./changeFeed";
import { DomainError, isDomainError } from "./errors";
import type { InventoryService, NumberWithAgent } from "./inventory";
import { claimNumber, releaseNumber } from "./numberLock";
import type { RoutingCheckService } from "./routingCheck";

const DRIFT_KINDS = ["drift", "multiple_agents"] as const;

export type KeepOutcome =
  | { outcome: "adopted"; e164: string; agentName: string | null }
  | { outcome: "choose"; numberId: string; e164: string; candidates: { id: string; name: string }[] }
  | { outcome: "in_sync"; e164: string };

export class DriftRepairService {
  /** Sweeps run one after another (see `resolveApprovedRepairs`). */
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly inventory: InventoryService,
    private readonly providers: ProviderRegistry,
    private readonly assignment: AssignmentService,
    private readonly check: RoutingCheckService,
    private readonly changes: ChangeFeed,
    private readonly access: AccessGate,
    private readonly clock: Clock = systemClock,
  ) {
    // A production Restore (or keep-one) is applied later, when an approver approves: the alert
    // must then show the finding resolved too, not only after the next scheduled check.
    changes.subscribe(() => {
      this.sweeping = this.sweeping
        .then(() => this.resolveApprovedRepairs())
        // The next check resolves it anyway; a failure here must not break the change that emitted.
        .catch(() => undefined);
    });
  }

  /** Restore: make the provider route the number as Switchboard's record (as it is now) says. */
  async restore(numberId: string, actor: string): Promise<ChangeOutcome> {
    await this.requireAccess(actor, "restore", numberId);
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
    const number = await this.requireAccess(actor, "keep_providers", numberId);
    const seen = await this.observe(numberId);
    const live = seen.inbound;
    if (live.length > 1) {
      const candidates = await this.db.agent.findMany({
        where: { provider: number.provider, providerAgentId: { in: live }, goneAt: null },
        orderBy: { name: "asc" },
      });
      const unknown = live.filter((id) => !candidates.some((a) => a.providerAgentId === id));
      if (unknown.length) {
        throw new DomainError(
          "unknown_agent",
          `${PROVIDER_LABEL[number.provider]} routes ${number.e164} to ${unknown.join(", ")} too, which Switchboard does not know yet: run \`/numbers sync\`, then try again.`,
        );
      }
      return {
        outcome: "choose",
        numberId,
        e164: number.e164,
        candidates: candidates.map((a) => ({ id: a.id, name: a.name })),
      };
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
    // Where the provider keeps the outbound caller ID on the number (Retell), keep that too.
    let outbound = agent;
    if (seen.outbound) {
      const [out, ...more] = seen.outbound;
      outbound = out
        ? await this.db.agent.findFirst({
            where: { provider: number.provider, providerAgentId: out, goneAt: null },
          })
        : null;
      if ((out && !outbound) || more.length) {
        throw new DomainError(
          "unknown_agent",
          `${PROVIDER_LABEL[number.provider]} makes ${number.e164} the outbound caller ID of ${seen.outbound.join(", ")}, which Switchboard cannot record as one known agent: run \`/numbers sync\`, or restore Switchboard's routing instead.`,
        );
      }
    }
    if ((agent?.id ?? null) === number.agentId && (outbound?.id ?? null) === number.outboundAgentId) {
      await this.check.resolveNumber(numberId, [...DRIFT_KINDS]);
      return { outcome: "in_sync", e164: number.e164 };
    }
    if (agent && agent.id !== number.agentId) await this.requireRoomFor(number, agent, actor);
    const token = await claimNumber(this.db, numberId, number.bindingVersion, undefined, this.clock);
    try {
      const written = await commitBinding(this.db, {
        numberId,
        guard: { lockToken: token },
        agentId: agent?.id ?? null,
        outboundAgentId: outbound?.id ?? null,
        audit: {
          actor,
          action: "adopt_provider",
          source: "button",
          outcome: "applied",
          e164: number.e164,
          provider: number.provider,
          before: {
            agentId: number.agentId,
            agent: number.agent?.name ?? null,
            outboundAgentId: number.outboundAgentId,
          },
          after: {
            agentId: agent?.id ?? null,
            agent: agent?.name ?? null,
            outboundAgentId: outbound?.id ?? null,
          },
          detail: "kept the provider's routing as Switchboard's record",
        },
      });
      if (!written) throw new Error(`lost the lock on ${number.e164} before commit`);
    } finally {
      await releaseNumber(this.db, numberId, token);
    }
    this.changes.emit();
    await this.check.resolveNumber(numberId, [...DRIFT_KINDS]);
    return { outcome: "adopted", e164: number.e164, agentName: agent?.name ?? null };
  }

  /** Keep one of several weighted agents: the others are removed at the provider (a normal, verified change). */
  async keepOne(numberId: string, agentId: string, actor: string): Promise<ChangeOutcome> {
    await this.requireAccess(actor, "keep_providers", numberId);
    const live = (await this.observe(numberId)).inbound;
    const [number, agent] = await Promise.all([
      this.inventory.numberById(numberId),
      this.inventory.agentById(agentId),
    ]);
    if (!live.includes(agent.providerAgentId)) {
      // The form is stale: keeping an agent the provider no longer routes to would be a reassignment nobody confirmed.
      throw new DomainError(
        "number_changed",
        `${PROVIDER_LABEL[number.provider]} no longer routes ${number.e164} to ${agent.name} (it routes to ${live.length ? live.join(", ") : "no agent"} now), so nothing was changed. Run \`/numbers status ${number.e164}\` and repair it from there.`,
        "agent",
      );
    }
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

  /** Refuses (audited) before the provider is asked anything; returns the number. */
  private async requireAccess(actor: string, action: "restore" | "keep_providers", numberId: string) {
    const number = await this.inventory.numberById(numberId);
    await this.access.require(actor, action, "button", {
      numberId,
      e164: number.e164,
      provider: number.provider,
    });
    return number;
  }

  /**
   * R3 holds for adopted routing too: refuses to record the agent on this number when it already
   * holds as many numbers as MAX_NUMBERS_PER_AGENT allows. The rules decide (a preview: nothing is written).
   */
  private async requireRoomFor(number: NumberWithAgent, agent: Agent, actor: string): Promise<void> {
    try {
      await this.assignment.preview({
        actor,
        source: "button",
        numberId: number.id,
        targetAgentId: agent.id,
        expectedVersion: number.bindingVersion,
        confirmed: true,
      });
    } catch (error) {
      if (!isDomainError(error) || error.code !== "agent_at_limit") throw error;
      const held = await this.db.phoneNumber.findMany({
        where: { agentId: agent.id, goneAt: null, id: { not: number.id } },
        select: { e164: true },
        orderBy: { e164: "asc" },
      });
      const list = held.map((n) => n.e164).join(", ");
      throw new DomainError(
        "agent_at_limit",
        `${PROVIDER_LABEL[number.provider]} routes ${number.e164} to ${agent.name}, but Switchboard records ${agent.name} on ${list} already, the most MAX_NUMBERS_PER_AGENT allows: keeping the provider's routing would break that rule. Restore Switchboard's routing instead, or unassign ${held.length === 1 ? list : "one of them"} first and then keep the provider's routing.`,
        "agent",
      );
    }
  }

  /**
   * Resolves the drift findings of numbers whose repair an approver approved and that now route as
   * recorded (the approved change was read back at the provider before it was committed).
   */
  private async resolveApprovedRepairs(): Promise<void> {
    const open = await this.db.routingFinding.findMany({
      where: { resolvedAt: null, kind: { in: [...DRIFT_KINDS] } },
      include: { number: { include: { agent: true, outboundAgent: true } } },
    });
    const numbers = new Map(open.map((f) => [f.numberId, { number: f.number, since: f.firstSeenAt }]));
    for (const { number, since } of numbers.values()) {
      const agrees = routesAsRecorded(
        {
          inbound: number.agent?.providerAgentId ?? null,
          outbound: number.outboundAgent?.providerAgentId ?? null,
        },
        observed(number.provider, number.providerAgentIds, number.providerOutboundAgentIds),
      );
      if (!agrees) continue;
      const approved = await this.db.approvalRequest.count({
        where: { numberId: number.id, status: "approved", decidedAt: { gte: since } },
      });
      if (approved > 0) await this.check.resolveNumber(number.id, [...DRIFT_KINDS]);
    }
  }

  /** Reads the number live and records what the provider routes it to now. */
  private async observe(numberId: string): Promise<ObservedRouting> {
    const number = await this.inventory.numberById(numberId);
    const provider = this.providers.get(number.provider);
    if (!provider) {
      throw new DomainError(
        "provider_not_configured",
        `${PROVIDER_LABEL[number.provider]} is not configured.`,
      );
    }
    const live = await provider.getNumber({ providerNumberId: number.providerNumberId, e164: number.e164 });
    const seen = observed(number.provider, live.inboundAgentIds, live.outboundAgentIds);
    await this.db.phoneNumber.update({
      where: { id: numberId },
      data: {
        providerAgentIds: live.inboundAgentIds,
        providerOutboundAgentIds: seen.outbound ?? [],
        lastSyncedAt: this.clock.now(),
      },
    });
    return seen;
  }
}
