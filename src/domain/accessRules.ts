// Who may change what: pure rules returning a decision with a reason code (the access service
// gathers the facts about the person from Slack, renders the words and audits a refusal).
// Reading (status, list, history, help, App Home) is open to every member and never asks here.

/** Every change a person can ask Switchboard for. */
export const CHANGE_ACTIONS = [
  "assign",
  "unassign",
  "approve",
  "restore",
  "keep_providers",
  "spare",
  "unspare",
  "snooze",
  "sync",
  "check",
  "production",
  "test_call",
] as const;

export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/** What Slack says about the person (users.info) and what the configuration makes of them. */
export interface PersonFacts {
  /** A single- or multi-channel guest (is_restricted / is_ultra_restricted). */
  isGuest: boolean;
  isDeleted: boolean;
  isBot: boolean;
  /** Named in OPERATOR_USER_IDS or a member of OPERATOR_USERGROUP_ID. */
  isOperator: boolean;
  /** Named in APPROVER_USER_IDS or a member of APPROVER_USERGROUP_ID: always an operator too. */
  isApprover: boolean;
}

export type AccessRefusal = "unknown_person" | "deactivated" | "bot" | "guest" | "not_operator";

export type AccessDecision = { allowed: true } | { allowed: false; reason: AccessRefusal };

export interface AccessFacts {
  /** null: Slack could not say who this is (refused: a change needs a known person). */
  person: PersonFacts | null;
  action: ChangeAction;
  /** OPERATOR_USER_IDS or OPERATOR_USERGROUP_ID is set; unset, every full member is an operator. */
  operatorsConfigured: boolean;
}

/**
 * Deactivated accounts, bots and guests never change anything, whatever the configuration. With
 * operators configured, only operators (and approvers, who are operators) change anything; without,
 * every full member does. Who may approve a production change is approvalRules' business: here an
 * approval is a change like the others.
 */
export function decideAccess({ person, operatorsConfigured }: AccessFacts): AccessDecision {
  if (!person) return { allowed: false, reason: "unknown_person" };
  if (person.isDeleted) return { allowed: false, reason: "deactivated" };
  if (person.isBot) return { allowed: false, reason: "bot" };
  if (person.isGuest) return { allowed: false, reason: "guest" };
  if (!operatorsConfigured || person.isOperator || person.isApprover) return { allowed: true };
  return { allowed: false, reason: "not_operator" };
}
