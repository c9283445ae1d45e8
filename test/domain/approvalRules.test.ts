// Who may approve a production change and when: a table of situations and decisions.
import { describe, expect, it } from "vitest";
import { type ApprovalFacts, type Decider, decideApproval } from "../../src/domain/approvalRules";

const now = new Date("2026-11-28T12:00:00Z");
const facts = (over: Partial<ApprovalFacts> = {}): ApprovalFacts => ({
  status: "pending",
  requesterId: "U_REQ",
  expiresAt: new Date(now.getTime() + 60_000),
  requestedVersion: 3,
  currentVersion: 3,
  targetReady: true,
  targetNotReadyReason: null,
  ...over,
});
const approver: Decider = { userId: "U_APP", isApprover: true, approversConfigured: true };

describe("deciding an approval click", () => {
  it.each([
    ["an approver approves a ready, fresh request", facts(), approver, "approve", false, null],
    ["an approver rejects", facts(), approver, "reject", false, null],
    [
      "nobody is configured as approver",
      facts(),
      { ...approver, approversConfigured: false, isApprover: false },
      "approve",
      false,
      "no_approvers",
    ],
    ["a non-approver clicks", facts(), { ...approver, isApprover: false }, "approve", false, "not_approver"],
    [
      "the requester approves their own request",
      facts(),
      { ...approver, userId: "U_REQ" },
      "approve",
      false,
      "self_approval",
    ],
    [
      "the request expired",
      facts({ expiresAt: new Date(now.getTime() - 1) }),
      approver,
      "approve",
      false,
      "expired",
    ],
    [
      "the number changed since the request (stale)",
      facts({ currentVersion: 4 }),
      approver,
      "approve",
      false,
      "stale",
    ],
    [
      "the target agent is not ready",
      facts({ targetReady: false, targetNotReadyReason: "not published" }),
      approver,
      "approve",
      false,
      "target_not_ready",
    ],
    [
      "the target is not ready but the approver overrides",
      facts({ targetReady: false }),
      approver,
      "approve",
      true,
      null,
    ],
    [
      "already decided (double click)",
      facts({ status: "approved" }),
      approver,
      "approve",
      false,
      "already_decided",
    ],
    ["a stale request can still be rejected", facts({ currentVersion: 9 }), approver, "reject", false, null],
  ] as const)("%s", (_, f, decider, action, override, refusal) => {
    const decision = decideApproval(f, decider, action, { now, override });
    if (refusal === null) expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, code: refusal });
  });

  it("keeps the buttons live for refusals that another person can still resolve", () => {
    const notApprover = decideApproval(facts(), { ...approver, isApprover: false }, "approve", {
      now,
      override: false,
    });
    const self = decideApproval(facts(), { ...approver, userId: "U_REQ" }, "approve", {
      now,
      override: false,
    });
    const stale = decideApproval(facts({ currentVersion: 4 }), approver, "approve", { now, override: false });
    expect(notApprover).toMatchObject({ keepsButtons: true });
    expect(self).toMatchObject({ keepsButtons: true });
    expect(stale).toMatchObject({ keepsButtons: false });
  });
});
