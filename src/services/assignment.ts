// Assign, reassign, unassign and replace (R1–R7): the use case behind every change request.
// decide (rules, once) → act: apply (claim the number → write at the provider → read back →
// commit through bindings.ts), or file the approval request a production change needs, or say
// what the user must confirm. Approved production changes and drift repairs come through here too.
import type { Config } from "../config";
import type { Db } from "../db/database";
import {
  type AgentFacts,
  type ChangeDecision,
  type ChangeKind,
  decideChange,
  type GatedKind,
} from "../domain/assignmentRules";
import { PROVIDER_LABEL, type ProviderName } from "../domain/providers";
import { keptOutbound } from "../domain/routing";
import type { Agent, PhoneNumber } from "../generated/prisma/client";
import { type Clock, systemClock } from "../lib/clock";
import type { Logger } from "../logger";
import type { ProviderRegistry } from "../providers/registry";
import type { VoiceProvider } from "../providers/types";
import type { AccessGate } from "./access";
import { type AuditSource, recordAudit } from "./audit";
import { commitBinding } from "./bindings";
import type { ChangeFeed } from "./changeFeed";
import { DomainError, type ReplaceOffer } from "./errors";
import { type InventoryService, toPickerNumber } from "./inventory";
import { claimNumber, releaseNumber } from "./numberLock";
import type { ApprovalCard, PickerNumber } from "./ports";
import { writeVerified } from "./verifiedWrite";

export interface ChangeRequest {
  actor: string;
  source: AuditSource;
  numberId: string;
  /** null = unassign. */
  targetAgentId: string | null;
  /** The binding version the user saw; a change made since then refuses this request. */
  expectedVersion?: number;
  confirmed?: boolean;
  /** Set only by the approval service after an approver approved. */
  approvalId?: string;
  /** Slack's id for the delivery, so a payload delivered twice applies once. */
  requestKey?: string;
}

export interface AppliedChange {
  kind: ChangeKind;
  e164: string;
  numberId: string;
  provider: ProviderName;
  previousAgent: { id: string; name: string } | null;
  newAgent: { id: string; name: string } | null;
  isProduction: boolean;
}

export type ChangeOutcome =
  | { outcome: "applied"; change: AppliedChange }
  | { outcome: "noop"; reason: string }
  | { outcome: "confirm"; kind: GatedKind; reason: string; plan: PlannedChange }
  | { outcome: "approval"; kind: GatedKind; reason: string; plan: PlannedChange; approval: ApprovalRequested }
  | { outcome: "duplicate" };

/** What the rules say about a request, before anything is done (no approval request yet). */
export type Preview =
  | { outcome: "ready"; kind: ChangeKind; plan: PlannedChange }
  | { outcome: "noop"; reason: string }
  | { outcome: "confirm" | "approval"; kind: GatedKind; reason: string; plan: PlannedChange };

/**
 * A request the rules have decided (refusals already thrown and audited): what the user sees next,
 * and what `proceed` acts on. A modal decides before its ack and proceeds after it, on this decision.
 */
export type DecidedChange = Preview & { readonly evaluation: Evaluation };

/** The approval request filed for a gated production change. */
export interface ApprovalRequested {
  card: ApprovalCard;
  /** false: there is no approval channel to post it to. */
  posted: boolean;
  approversConfigured: boolean;
}

/** Where gated production changes go (the approval service). */
export interface ApprovalDesk {
  request(
    plan: PlannedChange,
    kind: GatedKind,
    requesterId: string,
    source: AuditSource,
  ): Promise<ApprovalRequested>;
}

/** A change typed as text: the number as E.164 and the agent as typed (null: unassign). */
export interface TypedChangeRequest extends Omit<ChangeRequest, "numberId" | "targetAgentId"> {
  e164: string;
  agentQuery: string | null;
}

/** A typed agent name that matches several agents: the user picks one in the modal. */
export interface AmbiguousAgent {
  outcome: "ambiguous";
  number: PickerNumber;
  candidates: { id: string; name: string }[];
}

/** Replace: unassign the agent's current number, then assign it this one (R3 with the strict rule). */
export interface ReplaceRequest extends Omit<ChangeRequest, "targetAgentId" | "expectedVersion"> {
  targetAgentId: string;
  expectedVersion: number;
  heldNumberId: string;
  heldVersion: number;
}

interface Evaluation {
  request: ChangeRequest;
  number: NumberWithAgent;
  target: Agent | null;
  decision: ChangeDecision;
  plan: PlannedChange;
}

/** What the user is asked to confirm or approve; carried in button values. */
export interface PlannedChange {
  numberId: string;
  e164: string;
  provider: ProviderName;
  targetAgentId: string | null;
  targetAgentName: string | null;
  currentAgentId: string | null;
  currentAgentName: string | null;
  expectedVersion: number;
  isProduction: boolean;
}

type NumberWithAgent = PhoneNumber & { agent: Agent | null };

export class AssignmentService {
  constructor(
    private readonly db: Db,
    private readonly providers: ProviderRegistry,
    private readonly config: Pick<Config, "maxNumbersPerAgent">,
    private readonly logger: Logger,
    private readonly approvals: ApprovalDesk,
    /** Resolves what a typed command names (a number looked up live if need be, an agent by name or id). */
    private readonly lookup: Pick<InventoryService, "numberByE164" | "resolveAgent">,
    /** Who may change numbers: asked before anything is looked up or written. */
    private readonly access: AccessGate,
    private readonly changes?: ChangeFeed,
    /** Reads a provider's agents again (an agent recorded as gone may be back since the last sync). */
    private readonly refreshAgents?: (provider: ProviderName) => Promise<unknown>,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Refuses (audited) someone who may not change numbers, before a change form opens for them. */
  async requireAccess(actor: string, action: "assign" | "unassign", source: AuditSource): Promise<void> {
    await this.access.require(actor, action, source);
  }

  /**
   * A typed command (`/assign-number <number> <agent>`, `/unassign-number <number>`): finds the
   * number and the agent it names, then requests the change. A name matching several agents is not
   * guessed: the caller lets the user pick (`ambiguous`).
   */
  async requestTyped(request: TypedChangeRequest): Promise<ChangeOutcome | AmbiguousAgent> {
    const { e164, agentQuery, ...rest } = request;
    // Before the lookup: a refused person makes no provider call, not even a live number lookup.
    await this.access.require(rest.actor, agentQuery === null ? "unassign" : "assign", rest.source, { e164 });
    const number = await this.lookup.numberByE164(e164);
    let targetAgentId: string | null = null;
    if (agentQuery !== null) {
      const resolved = await this.lookup.resolveAgent(agentQuery, number.provider);
      if (resolved.kind === "ambiguous") {
        return {
          outcome: "ambiguous",
          number: toPickerNumber(number),
          candidates: resolved.candidates.map((a) => ({ id: a.id, name: a.name })),
        };
      }
      targetAgentId = resolved.agent.id;
    }
    return this.requestChange({ ...rest, numberId: number.id, targetAgentId });
  }

  /**
   * What the rules say, without writing anything (not even an audit event): a refusal is thrown,
   * anything else returned. For callers that only need to know (keeping the provider's routing).
   */
  async preview(request: ChangeRequest): Promise<Preview> {
    const evaluation = await this.evaluate(request, false);
    const { decision, plan } = evaluation;
    if (decision.decision === "refuse") throw await this.refusal(evaluation, decision);
    return previewOf(decision, plan);
  }

  /**
   * Decides an actual request once: a refusal is audited and thrown (with the field it concerns),
   * a no-op or a confirmation asked for is audited. `proceed` then acts on this decision.
   */
  async decide(request: ChangeRequest): Promise<DecidedChange> {
    const evaluation = await this.evaluate(request, true);
    const { number, target, decision, plan } = evaluation;
    switch (decision.decision) {
      case "refuse":
        await this.audit(request, number, target, "refused", decision.reason);
        throw await this.refusal(evaluation, decision);
      case "noop":
        await this.audit(request, number, target, "noop", decision.reason);
        break;
      case "confirm":
        await this.audit(request, number, target, "pending", "awaiting the requester's confirmation");
        break;
    }
    return { ...previewOf(decision, plan), evaluation };
  }

  /**
   * Acts on a decision: applies it (claim → write at the provider → read back → commit), files the
   * approval request a production change needs, or says what is still needed. The claim re-checks
   * that the number is still as the user saw it; the rules are not evaluated again.
   */
  async proceed(decided: DecidedChange): Promise<ChangeOutcome> {
    const { request } = decided.evaluation;
    if (request.requestKey && !(await this.firstDelivery(request.requestKey)))
      return { outcome: "duplicate" };
    return this.act(decided);
  }

  /** Decides and acts in one step (typed commands, buttons, approvals, repairs). */
  async requestChange(request: ChangeRequest): Promise<ChangeOutcome> {
    if (request.requestKey && !(await this.firstDelivery(request.requestKey)))
      return { outcome: "duplicate" };
    return this.act(await this.decide(request));
  }

  /**
   * Replace (offered when the target agent is at its limit): unassign the number the agent holds,
   * then assign it this one — each a normal, verified change. Stops after the first step if that
   * step did not apply (it needed approval, or nothing was to be done).
   */
  async replace(request: ReplaceRequest): Promise<ChangeOutcome> {
    const { heldNumberId, heldVersion, requestKey, ...base } = request;
    const released = await this.requestChange({
      ...base,
      confirmed: true,
      numberId: heldNumberId,
      targetAgentId: null,
      expectedVersion: heldVersion,
      ...(requestKey ? { requestKey: `${requestKey}:release` } : {}),
    });
    if (released.outcome !== "applied") return released;
    return this.requestChange({ ...base, confirmed: true, ...(requestKey ? { requestKey } : {}) });
  }

  private async act(decided: DecidedChange): Promise<ChangeOutcome> {
    const { request, number, target } = decided.evaluation;
    switch (decided.outcome) {
      case "ready":
        return { outcome: "applied", change: await this.apply(request, number, target, decided.kind) };
      case "approval": {
        const { kind, reason, plan } = decided;
        const approval = await this.approvals.request(plan, kind, request.actor, request.source);
        return { outcome: "approval", kind, reason, plan, approval };
      }
      case "confirm":
        return { outcome: "confirm", kind: decided.kind, reason: decided.reason, plan: decided.plan };
      case "noop":
        return { outcome: "noop", reason: decided.reason };
    }
  }

  /** Gathers the facts and runs the rules; `audit` records a request made on a stale view. */
  private async evaluate(request: ChangeRequest, audit: boolean): Promise<Evaluation> {
    const number = await this.loadNumber(request.numberId);
    // Every change (typed, button, modal, approval, repair) passes here before the rules.
    await this.access.require(request.actor, request.targetAgentId ? "assign" : "unassign", request.source, {
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
    });
    const target = request.targetAgentId ? await this.loadAgent(request.targetAgentId) : null;
    if (request.approvalId) await this.requireApproval(request);
    if (request.expectedVersion !== undefined && request.expectedVersion !== number.bindingVersion) {
      const error = changedSince(number);
      if (audit) await this.audit(request, number, target, "refused", error.message);
      throw error;
    }
    const decision = await this.rules(number, target, request);
    return { request, number, target, decision, plan: planOf(number, target) };
  }

  private async refusal(
    { number, target }: Evaluation,
    decision: Extract<ChangeDecision, { decision: "refuse" }>,
  ): Promise<DomainError> {
    const replace =
      decision.code === "agent_at_limit" && target ? await this.replaceOffer(number, target) : undefined;
    return new DomainError(refusalCode(decision.code), decision.reason, decision.field, replace);
  }

  private async apply(
    request: ChangeRequest,
    number: NumberWithAgent,
    target: Agent | null,
    kind: ChangeKind,
  ): Promise<AppliedChange> {
    const provider = this.providerFor(number.provider);
    let token: string;
    try {
      token = await claimNumber(
        this.db,
        number.id,
        request.expectedVersion ?? number.bindingVersion,
        { agentId: target?.id ?? null },
        this.clock,
      );
    } catch (error) {
      await this.audit(
        request,
        number,
        target,
        "refused",
        error instanceof Error ? error.message : String(error),
      );
      throw error;
    }
    if (target && kind !== "restore") await this.recheckAgentLimit(request, number, target, token);
    let committed = false;
    // Whether the provider may hold the change although we could not confirm it.
    const doubt = { inDoubt: true };
    try {
      const readBack = await writeVerified(
        {
          provider,
          number,
          target,
          fail: (detail) => this.audit(request, number, target, "failed", detail),
          markUnrouted: async () => {
            await this.db.phoneNumber.update({
              where: { id: number.id },
              data: { providerAgentIds: [], lastSyncedAt: this.clock.now() },
            });
          },
        },
        doubt,
      );
      const change: AppliedChange = {
        kind,
        e164: number.e164,
        numberId: number.id,
        provider: number.provider,
        previousAgent: number.agent ? { id: number.agent.id, name: number.agent.name } : null,
        newAgent: target ? { id: target.id, name: target.name } : null,
        isProduction: number.isProduction,
      };
      const written = await commitBinding(this.db, {
        numberId: number.id,
        guard: { lockToken: token },
        agentId: target?.id ?? null,
        // R1: the bound number is the agent's outbound caller ID (kept on the number by Retell, recorded here for all).
        outboundAgentId: target?.id ?? null,
        observed: { inbound: readBack.inbound, outbound: readBack.outbound },
        audit: {
          ...this.auditBase(request, number),
          action: kind,
          outcome: "applied",
          before: { agentId: number.agent?.id ?? null, agent: number.agent?.name ?? null },
          after: { agentId: target?.id ?? null, agent: target?.name ?? null },
          ...(request.approvalId ? { detail: `approval ${request.approvalId}` } : {}),
        },
      });
      if (!written) throw new Error(`lost the lock on ${number.e164} before commit`);
      committed = true;
      this.changes?.emit();
      return change;
    } finally {
      if (!committed) await releaseNumber(this.db, number.id, token, doubt.inDoubt).catch(() => undefined);
    }
  }

  private async rules(
    number: NumberWithAgent,
    target: Agent | null,
    request: ChangeRequest,
  ): Promise<ChangeDecision> {
    const held = target
      ? await this.db.phoneNumber.findMany({
          where: { agentId: target.id, goneAt: null, id: { not: number.id } },
          select: { e164: true },
          orderBy: { e164: "asc" },
        })
      : [];
    return decideChange({
      number: {
        e164: number.e164,
        provider: number.provider,
        isProduction: number.isProduction,
        gone: number.goneAt !== null,
        currentAgent: number.agent ? agentFacts(number.agent, []) : null,
        providerAgentIds: number.providerAgentIds,
        providerOutboundAgentIds: keptOutbound(number.provider, number.providerOutboundAgentIds),
      },
      target: target
        ? agentFacts(
            target,
            held.map((n) => n.e164),
          )
        : null,
      providerEnabled: this.providers.has(number.provider),
      maxNumbersPerAgent: this.config.maxNumbersPerAgent,
      confirmed: request.confirmed ?? false,
      approved: request.approvalId !== undefined,
    });
  }

  /**
   * R3 under concurrency: the rules counted the agent's numbers before the claim. Now that our
   * intent is recorded on the row, count again, including other numbers being assigned to this
   * agent right now: of two racing requests at most one proceeds (both may be refused; neither
   * can exceed the limit).
   */
  private async recheckAgentLimit(
    request: ChangeRequest,
    number: NumberWithAgent,
    target: Agent,
    token: string,
  ) {
    const held = await this.db.phoneNumber.findMany({
      where: {
        id: { not: number.id },
        goneAt: null,
        OR: [{ agentId: target.id }, { intentAgentId: target.id, lockedUntil: { gt: this.clock.now() } }],
      },
      select: { e164: true },
    });
    if (held.length < this.config.maxNumbersPerAgent) return;
    await releaseNumber(this.db, number.id, token);
    const reason = `${target.name} is getting or already has ${held.map((n) => n.e164).join(", ")} (limit ${this.config.maxNumbersPerAgent} per agent). Nothing was changed; look again and retry.`;
    await this.audit(request, number, target, "refused", reason);
    throw new DomainError("agent_at_limit", reason, "agent");
  }

  /** An approval id is only honoured for the exact change that was approved. */
  private async requireApproval(request: ChangeRequest): Promise<void> {
    const approval = await this.db.approvalRequest.findUnique({ where: { id: request.approvalId } });
    const matches =
      approval?.status === "approved" &&
      approval.numberId === request.numberId &&
      approval.toAgentId === request.targetAgentId &&
      approval.bindingVersion === request.expectedVersion;
    if (!matches) {
      throw new DomainError(
        "not_allowed",
        "This change needs an approved approval request, and none matches it.",
      );
    }
  }

  /** With the strict one-number rule, Replace = unassign the agent's number, then assign this one. */
  private async replaceOffer(number: NumberWithAgent, target: Agent): Promise<ReplaceOffer | undefined> {
    const held = await this.db.phoneNumber.findMany({ where: { agentId: target.id, goneAt: null }, take: 2 });
    if (held.length !== 1) return undefined;
    return {
      numberId: number.id,
      targetAgentId: target.id,
      expectedVersion: number.bindingVersion,
      heldNumberId: held[0]!.id,
      heldE164: held[0]!.e164,
      heldVersion: held[0]!.bindingVersion,
    };
  }

  private async loadNumber(id: string): Promise<NumberWithAgent> {
    const number = await this.db.phoneNumber.findUnique({ where: { id }, include: { agent: true } });
    if (!number)
      throw new DomainError(
        "unknown_number",
        "That number is not in Switchboard's inventory any more.",
        "number",
      );
    return number;
  }

  private async loadAgent(id: string): Promise<Agent> {
    let agent = await this.db.agent.findUnique({ where: { id } });
    if (agent?.goneAt && this.refreshAgents) {
      // Picked from a list or a button while we last saw it gone: ask the provider once before refusing.
      await this.refreshAgents(agent.provider);
      agent = await this.db.agent.findUnique({ where: { id } });
    }
    if (!agent)
      throw new DomainError(
        "unknown_agent",
        "That agent is not in Switchboard's inventory any more.",
        "agent",
      );
    return agent;
  }

  private providerFor(name: ProviderName): VoiceProvider {
    const provider = this.providers.get(name);
    if (!provider) {
      throw new DomainError(
        "provider_not_configured",
        `${PROVIDER_LABEL[name]} is not configured: set ${name.toUpperCase()}_API_KEY and restart Switchboard.`,
      );
    }
    return provider;
  }

  private async firstDelivery(key: string): Promise<boolean> {
    const created = await this.db.processedRequest.createMany({ data: [{ key }], skipDuplicates: true });
    return created.count === 1;
  }

  private auditBase(request: ChangeRequest, number: PhoneNumber) {
    return {
      actor: request.actor,
      source: request.source,
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
      ...(request.requestKey ? { requestId: request.requestKey } : {}),
    };
  }

  private async audit(
    request: ChangeRequest,
    number: NumberWithAgent,
    target: Agent | null,
    outcome: "refused" | "noop" | "failed" | "pending",
    detail: string,
  ): Promise<void> {
    await recordAudit(this.db, {
      ...this.auditBase(request, number),
      action: target ? (number.agent ? "reassign" : "assign") : "unassign",
      outcome,
      before: { agentId: number.agent?.id ?? null, agent: number.agent?.name ?? null },
      after: { agentId: target?.id ?? null, agent: target?.name ?? null },
      detail,
    }).catch((error: unknown) => this.logger.error({ err: error }, "could not write audit event"));
  }
}

function agentFacts(agent: Agent, numbers: string[]): AgentFacts {
  return {
    id: agent.id,
    name: agent.name,
    provider: agent.provider,
    providerAgentId: agent.providerAgentId,
    gone: agent.goneAt !== null,
    numbers,
  };
}

function previewOf(decision: Exclude<ChangeDecision, { decision: "refuse" }>, plan: PlannedChange): Preview {
  switch (decision.decision) {
    case "apply":
      return { outcome: "ready", kind: decision.kind, plan };
    case "noop":
      return { outcome: "noop", reason: decision.reason };
    default:
      return { outcome: decision.decision, kind: decision.kind, reason: decision.reason, plan };
  }
}

function planOf(number: NumberWithAgent, target: Agent | null): PlannedChange {
  return {
    numberId: number.id,
    e164: number.e164,
    provider: number.provider,
    targetAgentId: target?.id ?? null,
    targetAgentName: target?.name ?? null,
    currentAgentId: number.agent?.id ?? null,
    currentAgentName: number.agent?.name ?? null,
    expectedVersion: number.bindingVersion,
    isProduction: number.isProduction,
  };
}

function changedSince(number: NumberWithAgent): DomainError {
  return new DomainError(
    "number_changed",
    `${number.e164} changed since you looked: it is now ${number.agent ? `on ${number.agent.name}` : "unassigned"}. Nothing was changed by this request; look again and retry if you still want it.`,
    "number",
  );
}

function refusalCode(code: string) {
  switch (code) {
    case "provider_mismatch":
      return "provider_mismatch" as const;
    case "provider_not_configured":
      return "provider_not_configured" as const;
    case "agent_at_limit":
      return "agent_at_limit" as const;
    case "agent_gone":
      return "unknown_agent" as const;
    default:
      return "unknown_number" as const;
  }
}
