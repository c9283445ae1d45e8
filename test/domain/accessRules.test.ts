// Who may change what, as a table: each row a person and a configuration, and the decision for
// every change path (the rules do not depend on the action: every change needs the same standing).
import { describe, expect, it } from "vitest";
import {
  type AccessDecision,
  CHANGE_ACTIONS,
  decideAccess,
  type PersonFacts,
} from "../../src/domain/accessRules";

const member: PersonFacts = {
  isGuest: false,
  isDeleted: false,
  isBot: false,
  isOperator: false,
  isApprover: false,
};
const operator = { ...member, isOperator: true };
const approver = { ...member, isApprover: true };
const guest = { ...member, isGuest: true };

const refused = (reason: string) => ({ allowed: false, reason }) as AccessDecision;
const allowed: AccessDecision = { allowed: true };

describe("who may change what", () => {
  it.each<[string, PersonFacts | null, boolean, AccessDecision]>([
    ["an operator, operators configured", operator, true, allowed],
    ["an approver (always an operator), operators configured", approver, true, allowed],
    ["a member, operators configured", member, true, refused("not_operator")],
    ["a member, no operators configured: every full member may", member, false, allowed],
    ["a guest, no operators configured", guest, false, refused("guest")],
    ["a guest named as an operator", { ...guest, isOperator: true }, true, refused("guest")],
    ["a guest named as an approver", { ...guest, isApprover: true }, true, refused("guest")],
    ["a deactivated operator", { ...operator, isDeleted: true }, true, refused("deactivated")],
    [
      "a deactivated guest: deactivated says more",
      { ...guest, isDeleted: true },
      false,
      refused("deactivated"),
    ],
    ["a bot user", { ...member, isBot: true }, false, refused("bot")],
    ["nobody Slack can name", null, false, refused("unknown_person")],
  ])("%s", (_label, person, operatorsConfigured, decision) => {
    for (const action of CHANGE_ACTIONS) {
      expect(decideAccess({ person, action, operatorsConfigured }), action).toEqual(decision);
    }
  });
});
