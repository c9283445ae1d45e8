// Access: who may change what (domain/accessRules.ts decides; this service gathers the facts from
// Slack through the PeopleDirectory port, renders the refusal — why, and who can — and audits it).
// Every service entry that changes something calls `require` first, so no Slack path can skip it.
import type { Db } from "../db/database";
import { type ChangeAction, decideAccess, type PersonFacts } from "../domain/accessRules";
import type { ProviderName } from "../domain/providers";
import { type AuditSource, recordAudit } from "./audit";
import { DomainError } from "./errors";
import type { ApproverDirectory, PeopleDirectory, Person } from "./ports";

/** The number a change concerns, when there is one (recorded with a refusal). */
export interface AccessTarget {
  numberId?: string | null;
  e164?: string | null;
  provider?: ProviderName | null;
}

export interface OperatorConfig {
  operatorUserIds: string[];
  operatorUsergroupId: string | undefined;
  approverUserIds: string[];
  approverUsergroupId: string | undefined;
}

/** What a refused person was trying to do, in words ("Only operators can …"). */
const DOING: Record<ChangeAction, string> = {
  assign: "assign or reassign numbers",
  unassign: "unassign numbers",
  approve: "approve changes",
  restore: "restore a number's routing",
  keep_providers: "keep a provider's routing",
  spare: "mark numbers as spares",
  unspare: "take numbers off the spares",
  snooze: "snooze alerts",
  sync: "sync the providers",
  check: "run the routing check",
  production: "change the production flag",
  test_call: "place test calls",
};

/** What the other services hold: the one check. */
export type AccessGate = Pick<AccessService, "require">;

export class AccessService {
  constructor(
    private readonly db: Db,
    private readonly people: PeopleDirectory,
    private readonly approvers: ApproverDirectory,
    private readonly config: OperatorConfig,
  ) {}

  operatorsConfigured(): boolean {
    return this.config.operatorUserIds.length > 0 || this.config.operatorUsergroupId !== undefined;
  }

  /**
   * Allows the change or throws an access_denied DomainError saying why and who can, after writing
   * the refusal to the audit trail. Returns the person (their profile phone, for test calls).
   */
  async require(
    actor: string,
    action: ChangeAction,
    source: AuditSource,
    target: AccessTarget = {},
  ): Promise<Person> {
    const person = await this.people.person(actor);
    const facts = person ? await this.factsOf(person) : null;
    const decision = decideAccess({ person: facts, action, operatorsConfigured: this.operatorsConfigured() });
    if (decision.allowed) return person!;
    const error = this.refusal(decision.reason, action);
    await recordAudit(this.db, {
      actor,
      action: "access_refused",
      source,
      outcome: "refused",
      numberId: target.numberId ?? null,
      e164: target.e164 ?? null,
      provider: target.provider ?? null,
      after: { action, reason: decision.reason },
      detail: error.message,
    });
    throw error;
  }

  private async factsOf(person: Person): Promise<PersonFacts> {
    const facts = {
      isGuest: person.isGuest,
      isDeleted: person.isDeleted,
      isBot: person.isBot,
      isOperator: false,
      isApprover: false,
    };
    // Group lookups (rate-limited at Slack) only when the answer can change the decision.
    if (!this.operatorsConfigured() || person.isGuest || person.isDeleted || person.isBot) return facts;
    const { operatorUserIds, operatorUsergroupId } = this.config;
    const isOperator =
      operatorUserIds.includes(person.id) ||
      (operatorUsergroupId !== undefined &&
        (await this.people.groupMembers(operatorUsergroupId)).has(person.id));
    return {
      ...facts,
      isOperator,
      isApprover: isOperator ? false : await this.approvers.isApprover(person.id),
    };
  }

  /** The refusal: why, and who can (by id in the message; as mentions where the surface renders). */
  private refusal(reason: string, action: ChangeAction): DomainError {
    const doing = DOING[action];
    const { operatorUserIds, operatorUsergroupId, approverUserIds, approverUsergroupId } = this.config;
    const whoCan = (user: (id: string) => string, group: (id: string) => string): string => {
      if (!this.operatorsConfigured()) return "any full member of the workspace";
      const names = [
        ...[...new Set([...operatorUserIds, ...approverUserIds])].map(user),
        ...[operatorUsergroupId, approverUsergroupId]
          .filter((g): g is string => g !== undefined)
          .map((g) => `a member of ${group(g)}`),
      ];
      return names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : (names[0] ?? "");
    };
    const text = (user: (id: string) => string, group: (id: string) => string): string => {
      switch (reason) {
        case "guest":
          return `Guests can look up numbers (status, list, history, Home) but cannot ${doing}; nothing was changed. Ask ${this.operatorsConfigured() ? "an operator: " : ""}${whoCan(user, group)}.`;
        case "not_operator":
          return `Only Switchboard operators can ${doing} (OPERATOR_USER_IDS, OPERATOR_USERGROUP_ID); nothing was changed. Ask one: ${whoCan(user, group)}.`;
        case "deactivated":
          return "This Slack account is deactivated, so it cannot change anything; nothing was changed.";
        case "bot":
          return "Bots cannot change anything in Switchboard; nothing was changed.";
        default:
          return "Switchboard could not confirm with Slack who you are, so nothing was changed. Try again in a minute.";
      }
    };
    return new DomainError(
      "access_denied",
      text(
        (id) => id,
        (id) => `user group ${id}`,
      ),
      undefined,
      undefined,
      text,
    );
  }
}
