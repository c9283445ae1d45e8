// Production changes wait here for an approver (R6, R7). Nothing about the number changes until
// an approver approves; the change then goes through the same assignment path as any other.
import type { Db } from "../db/database";
import { decideApproval } from "../domain/approvalRules";
import type { GatedKind } from "../domain/assignmentRules";
import { keyValidFor, readiness } from "../domain/readiness";
import type { ApprovalRequest } from "../generated/prisma/client";
import { after, type Clock, systemClock } from "../lib/clock";
import type { Logger } from "../logger";
import type { AccessGate } from "./access";
import type {
  AppliedChange,
  ApprovalDesk,
  ApprovalRequested,
  ChangeOutcome,
  ChangeRequest,
  PlannedChange,
} from "./assignment";
import { type AuditSource, recordAudit } from "./audit";
import type { ChangeFeed } from "./changeFeed";
import { DomainError, isDomainError } from "./errors";
import type { ApprovalCard, ApprovalNotifier, ApproverDirectory } from "./ports";

export type DecisionResult =
  | { result: "refused"; reason: string; keepsButtons: boolean }
  | { result: "rejected" }
  | { result: "applied"; change: AppliedChange }
  | { result: "failed"; reason: string };

export class ApprovalService implements ApprovalDesk {
  constructor(
    private readonly db: Db,
    /** Applies an approved change through the assignment path (the approval id proves the approval). */
    private readonly applyApproved: (request: ChangeRequest) => Promise<ChangeOutcome>,
    private readonly notifier: ApprovalNotifier,
    private readonly approvers: ApproverDirectory,
    /** Guests and deactivated accounts never approve, whatever APPROVER_* says. */
    private readonly access: AccessGate,
    private readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly changes?: ChangeFeed,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Creates the request and posts it for approvers. One pending request per number. */
  async request(
    plan: PlannedChange,
    kind: GatedKind,
    requesterId: string,
    source: AuditSource,
  ): Promise<ApprovalRequested> {
    // An overdue request no longer holds the number, even if the expiry job has not run yet.
    await this.expireDue();
    const pending = await this.db.approvalRequest.findFirst({
      where: { numberId: plan.numberId, status: "pending" },
    });
    if (pending) {
      throw new DomainError(
        "number_busy",
        `${plan.e164} already has a change waiting for approval (requested by ${pending.requesterId}). It must be decided, cancelled or expire first.`,
        "number",
        undefined,
        (user) =>
          `${plan.e164} already has a change waiting for approval (requested by ${user(pending.requesterId)}). It must be decided, cancelled or expire first.`,
      );
    }
    let approval: ApprovalRequest;
    try {
      approval = await this.db.approvalRequest.create({
        data: {
          kind,
          numberId: plan.numberId,
          fromAgentId: plan.currentAgentId,
          toAgentId: plan.targetAgentId,
          requesterId,
          bindingVersion: plan.expectedVersion,
          expiresAt: after(this.clock, this.ttlMs),
        },
      });
    } catch {
      throw new DomainError(
        "number_busy",
        `${plan.e164} already has a change waiting for approval.`,
        "number",
      );
    }
    await recordAudit(this.db, {
      actor: requesterId,
      action: `${kind}_requested`,
      source,
      outcome: "pending",
      numberId: plan.numberId,
      e164: plan.e164,
      provider: plan.provider,
      before: { agent: plan.currentAgentName },
      after: { agent: plan.targetAgentName },
      detail: `approval ${approval.id}`,
    });
    const card = await this.card(approval.id);
    this.changes?.emit();
    let ref: Awaited<ReturnType<ApprovalNotifier["postApproval"]>>;
    try {
      ref = await this.notifier.postApproval(card);
    } catch (error) {
      // Nobody could see or decide it: close it rather than block the number until it expires.
      this.logger.error({ err: error, approvalId: approval.id }, "could not post the approval request");
      const detail = slackErrorOf(error);
      await this.db.approvalRequest.updateMany({
        where: { id: approval.id, status: "pending" },
        data: { status: "failed", decidedAt: this.clock.now(), outcome: `Could not be posted: ${detail}` },
      });
      await recordAudit(this.db, {
        actor: requesterId,
        action: "approval_failed",
        source,
        outcome: "failed",
        numberId: plan.numberId,
        e164: plan.e164,
        provider: plan.provider,
        detail: `approval ${approval.id}: could not post to the approval channel (${detail})`,
      });
      this.changes?.emit();
      throw new DomainError(
        "not_found",
        `Switchboard could not post the approval request for ${plan.e164} to the approval channel (${detail}), so nothing changed and no request is waiting. Check that the app is in APPROVAL_CHANNEL_ID, then try again.`,
      );
    }
    if (ref) {
      await this.db.approvalRequest.update({
        where: { id: approval.id },
        data: { channelId: ref.channel, messageTs: ref.ts },
      });
    }
    return { card, posted: ref !== null, approversConfigured: this.approvers.configured() };
  }

  async decide(
    approvalId: string,
    userId: string,
    action: "approve" | "reject",
    override = false,
  ): Promise<DecisionResult> {
    await this.expireDue();
    const approval = await this.load(approvalId);
    const card = await this.card(approvalId);
    const number = await this.db.phoneNumber.findUniqueOrThrow({ where: { id: approval.numberId } });
    await this.access.require(userId, "approve", "approval", {
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
    });
    const decision = decideApproval(
      {
        status: approval.status,
        requesterId: approval.requesterId,
        expiresAt: approval.expiresAt,
        requestedVersion: approval.bindingVersion,
        currentVersion: number.bindingVersion,
        targetReady:
          card.target === null || (card.target.published && card.target.active && card.target.keyValid),
        targetNotReadyReason: notReadyReason(card),
      },
      {
        userId,
        isApprover: await this.approvers.isApprover(userId),
        approversConfigured: this.approvers.configured(),
      },
      action,
      { now: this.clock.now(), override },
    );
    if (!decision.allowed) {
      let { code, reason } = decision;
      if (code === "stale") {
        // Close it, unless another click decided it meanwhile (its change is what made it look stale).
        const closed = await this.db.approvalRequest.updateMany({
          where: { id: approvalId, status: "pending" },
          data: { status: "failed", decidedBy: userId, decidedAt: this.clock.now() },
        });
        if (closed.count !== 1) {
          code = "already_decided";
          reason = `This request is already ${(await this.load(approvalId)).status}.`;
        }
      }
      await recordAudit(this.db, {
        actor: userId,
        action: `approval_${action}`,
        source: "approval",
        outcome: "refused",
        numberId: number.id,
        e164: number.e164,
        provider: number.provider,
        detail: `${code}: approval ${approvalId}`,
      });
      if (code === "stale") await this.finish(approvalId, "failed", userId, reason);
      return { result: "refused", reason, keepsButtons: decision.keepsButtons };
    }
    // The status flip is the lock: of two approvers or a double click, exactly one gets here.
    const claimed = await this.db.approvalRequest.updateMany({
      where: { id: approvalId, status: "pending" },
      data: {
        status: action === "approve" ? "approved" : "rejected",
        decidedBy: userId,
        decidedAt: this.clock.now(),
        overrideReadiness: override,
      },
    });
    if (claimed.count !== 1)
      return { result: "refused", reason: "This request was already decided.", keepsButtons: false };
    await recordAudit(this.db, {
      actor: userId,
      action: `approval_${action}`,
      source: "approval",
      outcome: "ok",
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
      detail: `approval ${approvalId}${override ? " (readiness overridden)" : ""}`,
    });
    if (action === "reject") {
      await this.finish(approvalId, "rejected", userId, "Rejected: nothing changed.");
      return { result: "rejected" };
    }
    try {
      const outcome = await this.applyApproved({
        actor: userId,
        source: "approval",
        numberId: approval.numberId,
        targetAgentId: approval.toAgentId,
        expectedVersion: approval.bindingVersion,
        approvalId,
      });
      if (outcome.outcome !== "applied") {
        const reason = outcome.outcome === "noop" ? outcome.reason : "The change could not be applied.";
        await this.finish(approvalId, "failed", userId, reason);
        return { result: "failed", reason };
      }
      await this.finish(approvalId, "approved", userId, "Approved and applied (verified at the provider).");
      return { result: "applied", change: outcome.change };
    } catch (error) {
      const reason = isDomainError(error)
        ? error.message
        : "Switchboard hit an unexpected error; nothing changed.";
      if (!isDomainError(error)) this.logger.error({ err: error, approvalId }, "approved change failed");
      await this.finish(approvalId, "failed", userId, reason);
      return { result: "failed", reason };
    }
  }

  async cancel(approvalId: string, userId: string): Promise<{ cancelled: boolean; text: string }> {
    await this.expireDue();
    const approval = await this.load(approvalId);
    if (approval.requesterId !== userId)
      return { cancelled: false, text: "Only the person who asked can cancel this request." };
    const cancelled = await this.db.approvalRequest.updateMany({
      where: { id: approvalId, status: "pending" },
      data: { status: "cancelled", decidedBy: userId, decidedAt: this.clock.now() },
    });
    if (cancelled.count !== 1) {
      const now = await this.load(approvalId);
      return { cancelled: false, text: `This request is already ${now.status}: nothing to cancel.` };
    }
    const number = await this.db.phoneNumber.findUniqueOrThrow({ where: { id: approval.numberId } });
    await recordAudit(this.db, {
      actor: userId,
      action: "approval_cancel",
      source: "button",
      outcome: "ok",
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
      detail: `approval ${approvalId}`,
    });
    await this.finish(approvalId, "cancelled", userId, "Cancelled by the requester: nothing changed.");
    return { cancelled: true, text: `Cancelled: nothing changed. ${number.e164} stays as it was.` };
  }

  /** Marks overdue requests expired, updates their messages and tells the requesters. */
  async expireDue(now = this.clock.now()): Promise<number> {
    const due = await this.db.approvalRequest.findMany({
      where: { status: "pending", expiresAt: { lte: now } },
    });
    let expired = 0;
    for (const approval of due) {
      const flipped = await this.db.approvalRequest.updateMany({
        where: { id: approval.id, status: "pending" },
        data: { status: "expired", decidedAt: now },
      });
      if (flipped.count !== 1) continue;
      expired++;
      const number = await this.db.phoneNumber.findUnique({ where: { id: approval.numberId } });
      await recordAudit(this.db, {
        actor: "system",
        action: "approval_expired",
        source: "system",
        outcome: "noop",
        numberId: approval.numberId,
        e164: number?.e164 ?? null,
        provider: number?.provider ?? null,
        detail: `approval ${approval.id}: nobody decided before ${approval.expiresAt.toISOString()}`,
      });
      await this.finish(approval.id, "expired", null, "Expired before anyone decided: nothing changed.");
    }
    return expired;
  }

  /** Records the outcome, updates the approval message and tells the requester. */
  private async finish(
    approvalId: string,
    status: "approved" | "rejected" | "expired" | "cancelled" | "failed",
    decidedBy: string | null,
    outcome: string,
  ): Promise<void> {
    const approval = await this.db.approvalRequest.update({
      where: { id: approvalId },
      data: { status, outcome, ...(decidedBy ? { decidedBy } : {}) },
    });
    const card = await this.card(approvalId);
    if (status === "failed") {
      await recordAudit(this.db, {
        actor: decidedBy ?? "system",
        action: "approval_failed",
        source: "approval",
        outcome: "failed",
        numberId: approval.numberId,
        e164: card.e164,
        provider: card.provider,
        detail: `approval ${approvalId}: ${outcome}`,
      });
    }
    this.changes?.emit();
    try {
      if (approval.channelId && approval.messageTs) {
        await this.notifier.updateApproval({ channel: approval.channelId, ts: approval.messageTs }, card);
      }
      // The requester who cancelled already sees it where they clicked.
      if (decidedBy === approval.requesterId) return;
      await this.notifier.tellRequester(card);
    } catch (error) {
      this.logger.warn(
        { err: error, approvalId },
        "could not update the approval message or tell the requester",
      );
    }
  }

  private async load(id: string): Promise<ApprovalRequest> {
    const approval = await this.db.approvalRequest.findUnique({ where: { id } });
    if (!approval) throw new DomainError("not_found", "That approval request does not exist.");
    return approval;
  }

  async card(id: string): Promise<ApprovalCard> {
    const approval = await this.db.approvalRequest.findUniqueOrThrow({
      where: { id },
      include: { number: true },
    });
    const [from, to] = await Promise.all(
      [approval.fromAgentId, approval.toAgentId].map((agentId) =>
        agentId ? this.db.agent.findUnique({ where: { id: agentId } }) : null,
      ),
    );
    const account = await this.db.providerAccount.findUnique({
      where: { provider: approval.number.provider },
    });
    const target = to
      ? readiness({
          gone: to.goneAt !== null,
          published: to.published,
          active: to.active,
          keyValid: keyValidFor(account?.health),
        })
      : null;
    return {
      id: approval.id,
      kind: approval.kind,
      e164: approval.number.e164,
      provider: approval.number.provider,
      fromAgent: from?.name ?? null,
      toAgent: to?.name ?? null,
      target: target
        ? {
            published: !target.reasons.includes("agent_unpublished"),
            active: !target.reasons.includes("agent_inactive") && !target.reasons.includes("agent_gone"),
            keyValid: !target.reasons.includes("key_invalid"),
          }
        : null,
      requesterId: approval.requesterId,
      expiresAt: approval.expiresAt,
      status: approval.status,
      decidedBy: approval.decidedBy,
      outcome: approval.outcome,
      overridden: approval.overrideReadiness,
    };
  }
}

function notReadyReason(card: ApprovalCard): string | null {
  if (!card.target) return null;
  const problems = [];
  if (!card.target.published) problems.push("not published");
  if (!card.target.active) problems.push("not active");
  if (!card.target.keyValid) problems.push("provider key invalid");
  return problems.length ? problems.join(", ") : null;
}

/** The Slack error code (not_in_channel, channel_not_found…) or message of a failed post. */
function slackErrorOf(error: unknown): string {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.message : String(error);
}
