// Production changes wait here for an approver (R6, R7). Nothing about the number changes until
// an approver approves; the change then goes through the same assignment path as any other.
import type { Db } from "../db/database";
import { decideApproval } from "../domain/approvalRules";
import type { ApprovalRequest } from "../generated/prisma/client";
import type { Logger } from "../logger";
import type { AppliedChange, AssignmentService, PlannedChange } from "./assignment";
import { type AuditSource, recordAudit } from "./audit";
import type { ChangeFeed } from "./changeFeed";
import { DomainError, isDomainError } from "./errors";
import type { ApprovalCard, ApprovalNotifier, ApproverDirectory } from "./ports";

export type DecisionResult =
  | { result: "refused"; reason: string; keepsButtons: boolean }
  | { result: "rejected" }
  | { result: "applied"; change: AppliedChange }
  | { result: "failed"; reason: string };

export class ApprovalService {
  constructor(
    private readonly db: Db,
    private readonly assignment: AssignmentService,
    private readonly notifier: ApprovalNotifier,
    private readonly approvers: ApproverDirectory,
    private readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly changes?: ChangeFeed,
  ) {}

  /** Creates the request and posts it for approvers. One pending request per number. */
  async request(
    plan: PlannedChange,
    kind: "reassign" | "unassign",
    requesterId: string,
    source: AuditSource,
  ) {
    const pending = await this.db.approvalRequest.findFirst({
      where: { numberId: plan.numberId, status: "pending" },
    });
    if (pending) {
      throw new DomainError(
        "number_busy",
        `${plan.e164} already has a change waiting for approval (requested by <@${pending.requesterId}>). It must be decided, cancelled or expire first.`,
        "number",
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
          expiresAt: new Date(Date.now() + this.ttlMs),
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
    const ref = await this.notifier.postApproval(card);
    if (ref) {
      await this.db.approvalRequest.update({
        where: { id: approval.id },
        data: { channelId: ref.channel, messageTs: ref.ts },
      });
    }
    return { approval, card, posted: ref !== null, approversConfigured: this.approvers.configured() };
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
      { now: new Date(), override },
    );
    if (!decision.allowed) {
      await recordAudit(this.db, {
        actor: userId,
        action: `approval_${action}`,
        source: "approval",
        outcome: "refused",
        numberId: number.id,
        e164: number.e164,
        provider: number.provider,
        detail: `${decision.code}: approval ${approvalId}`,
      });
      if (decision.code === "stale") await this.finish(approvalId, "failed", userId, decision.reason);
      return { result: "refused", reason: decision.reason, keepsButtons: decision.keepsButtons };
    }
    // The status flip is the lock: of two approvers or a double click, exactly one gets here.
    const claimed = await this.db.approvalRequest.updateMany({
      where: { id: approvalId, status: "pending" },
      data: {
        status: action === "approve" ? "approved" : "rejected",
        decidedBy: userId,
        decidedAt: new Date(),
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
      const outcome = await this.assignment.requestChange({
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

  async cancel(approvalId: string, userId: string): Promise<string> {
    const approval = await this.load(approvalId);
    if (approval.requesterId !== userId) return "Only the person who asked can cancel this request.";
    const cancelled = await this.db.approvalRequest.updateMany({
      where: { id: approvalId, status: "pending" },
      data: { status: "cancelled", decidedBy: userId, decidedAt: new Date() },
    });
    if (cancelled.count !== 1) return `This request is already ${approval.status}.`;
    await this.finish(approvalId, "cancelled", userId, "Cancelled by the requester: nothing changed.");
    return "Cancelled: nothing changed.";
  }

  /** Marks overdue requests expired, updates their messages and tells the requesters. */
  async expireDue(now = new Date()): Promise<number> {
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
      await this.finish(approval.id, "expired", null, "Expired before anyone decided: nothing changed.");
    }
    return expired;
  }

  pending() {
    return this.db.approvalRequest.findMany({
      where: { status: "pending" },
      include: { number: true },
      orderBy: { createdAt: "asc" },
      take: 20,
    });
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
    this.changes?.emit();
    try {
      if (approval.channelId && approval.messageTs) {
        await this.notifier.updateApproval({ channel: approval.channelId, ts: approval.messageTs }, card);
      }
      const who = decidedBy && decidedBy !== approval.requesterId ? ` by <@${decidedBy}>` : "";
      await this.notifier.tellUser(
        approval.requesterId,
        `Your request to ${card.kind} ${card.e164} was ${status}${who}. ${outcome}`,
      );
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
    return {
      id: approval.id,
      kind: approval.kind,
      e164: approval.number.e164,
      provider: approval.number.provider,
      fromAgent: from?.name ?? null,
      toAgent: to?.name ?? null,
      target: to
        ? {
            published: to.published,
            active: to.active && to.goneAt === null,
            keyValid: account?.health !== "invalid_key",
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
