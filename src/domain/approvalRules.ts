// Who may approve a production change, and when: pure rules returning a decision with a reason.
// Only the approval service acts on the decision.

export type ApprovalStatus = "pending" | "approved" | "rejected" | "expired" | "cancelled" | "failed";

export interface ApprovalFacts {
  status: ApprovalStatus;
  requesterId: string;
  expiresAt: Date;
  /** The number's binding version when the request was made, and now. */
  requestedVersion: number;
  currentVersion: number;
  /** Target agent published and active, provider key valid (true for an unassignment). */
  targetReady: boolean;
  targetNotReadyReason: string | null;
}

export interface Decider {
  userId: string;
  isApprover: boolean;
  approversConfigured: boolean;
}

export type ApprovalDecision =
  | { allowed: true }
  | { allowed: false; code: ApprovalRefusal; reason: string; keepsButtons: boolean };

export type ApprovalRefusal =
  | "no_approvers"
  | "not_approver"
  | "self_approval"
  | "already_decided"
  | "expired"
  | "stale"
  | "target_not_ready";

export function decideApproval(
  facts: ApprovalFacts,
  decider: Decider,
  action: "approve" | "reject",
  options: { now: Date; override: boolean },
): ApprovalDecision {
  if (facts.status !== "pending") {
    return refuse("already_decided", `This request is already ${facts.status}.`, false);
  }
  if (facts.expiresAt.getTime() <= options.now.getTime()) {
    return refuse("expired", "This request has expired; ask the requester to make it again.", false);
  }
  if (!decider.approversConfigured) {
    return refuse(
      "no_approvers",
      "Nobody can approve: no approvers are configured. An operator must set APPROVER_USER_IDS or APPROVER_USERGROUP_ID.",
      true,
    );
  }
  if (!decider.isApprover) {
    return refuse(
      "not_approver",
      "Only approvers can decide production changes; this request stays open for them.",
      true,
    );
  }
  if (decider.userId === facts.requesterId) {
    return refuse(
      "self_approval",
      "You made this request, so another approver has to decide it. (You can cancel it from your confirmation message.)",
      true,
    );
  }
  if (action === "reject") return { allowed: true };
  if (facts.currentVersion !== facts.requestedVersion) {
    return refuse(
      "stale",
      "The number's assignment changed after this request was made, so approving it could undo that change. The request is closed; ask for a new one if the change is still wanted.",
      false,
    );
  }
  if (!facts.targetReady && !options.override) {
    return refuse(
      "target_not_ready",
      `The target agent is not ready (${facts.targetNotReadyReason ?? "not published/active"}). Use “Approve anyway” only if you are sure.`,
      true,
    );
  }
  return { allowed: true };
}

function refuse(code: ApprovalRefusal, reason: string, keepsButtons: boolean): ApprovalDecision {
  return { allowed: false, code, reason, keepsButtons };
}
