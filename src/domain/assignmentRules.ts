// Rules R2–R7 as one pure decision: given a number, a target (an agent, or none to unassign) and
// the facts around them, what may happen next. No I/O: the assignment service gathers the facts.
import { PROVIDER_LABEL, type ProviderName } from "./providers";
import { routesAsRecorded } from "./routing";

export interface NumberFacts {
  e164: string;
  provider: ProviderName;
  isProduction: boolean;
  gone: boolean;
  currentAgent: AgentFacts | null;
  /** Provider agent ids the provider was last seen routing the number to. */
  providerAgentIds: string[];
  /** Its outbound binding as last seen, where the provider keeps one (Retell); null elsewhere. */
  providerOutboundAgentIds?: string[] | null;
}

export interface AgentFacts {
  id: string;
  name: string;
  provider: ProviderName;
  providerAgentId: string;
  gone: boolean;
  /** Numbers this agent already holds (other than the one being changed). */
  numbers: string[];
}

export interface ChangeContext {
  number: NumberFacts;
  /** null = unassign. */
  target: AgentFacts | null;
  providerEnabled: boolean;
  maxNumbersPerAgent: number;
  /** The user already confirmed that the current agent loses the number. */
  confirmed: boolean;
  /** The change comes from an approved approval request. */
  approved: boolean;
}

/** restore: our record stays, the provider is made to match it again (drift repair). */
export type ChangeKind = "assign" | "reassign" | "unassign" | "restore";

export type ChangeDecision =
  | { decision: "apply"; kind: ChangeKind }
  | { decision: "confirm"; kind: GatedKind; reason: string }
  | { decision: "approval"; kind: GatedKind; reason: string }
  | { decision: "noop"; reason: string }
  | { decision: "refuse"; code: RefusalCode; reason: string; field: "number" | "agent" };

export type GatedKind = "reassign" | "unassign" | "restore";

export type RefusalCode =
  | "number_gone"
  | "agent_gone"
  | "provider_not_configured"
  | "provider_mismatch"
  | "agent_at_limit";

export function decideChange(ctx: ChangeContext): ChangeDecision {
  const { number, target } = ctx;
  const label = PROVIDER_LABEL[number.provider];
  if (number.gone) {
    return refuse("number_gone", "number", `${number.e164} is no longer in the ${label} account.`);
  }
  if (!ctx.providerEnabled) {
    return refuse(
      "provider_not_configured",
      "number",
      `${number.e164} is a ${label} number, but ${label} is not configured: set ${number.provider.toUpperCase()}_API_KEY and restart Switchboard.`,
    );
  }
  const current = number.currentAgent;
  // Inbound, and outbound where the provider keeps it: a changed outbound caller ID is drift too.
  const providerMatches = (agent: AgentFacts | null) =>
    routesAsRecorded(
      { inbound: agent?.providerAgentId ?? null, outbound: agent?.providerAgentId ?? null },
      { inbound: number.providerAgentIds, outbound: number.providerOutboundAgentIds ?? null },
    );
  if (target === null) {
    if (!current && !providerMatches(null)) {
      return gate(
        ctx,
        "restore",
        `${label} still routes ${number.e164} to an agent; restoring removes it, so the number answers no calls.`,
      );
    }
    if (!current)
      return { decision: "noop", reason: `${number.e164} has no agent already: nothing to unassign.` };
    return gate(
      ctx,
      "unassign",
      `${current.name} loses ${number.e164}; the number stays in the account but answers no calls.`,
    );
  }
  if (target.gone) {
    return refuse(
      "agent_gone",
      "agent",
      `${target.name} no longer exists at ${PROVIDER_LABEL[target.provider]}.`,
    );
  }
  if (target.provider !== number.provider) {
    return refuse(
      "provider_mismatch",
      "agent",
      `${number.e164} is a ${label} number and ${target.name} is a ${PROVIDER_LABEL[target.provider]} agent: numbers and agents must share a provider. Numbers are bought per provider, so pick a ${label} agent or buy a ${PROVIDER_LABEL[target.provider]} number.`,
    );
  }
  if (current?.id === target.id) {
    if (!providerMatches(target)) {
      return gate(
        ctx,
        "restore",
        `${label} routes ${number.e164} differently; restoring routes it to ${target.name} again.`,
      );
    }
    return { decision: "noop", reason: `${number.e164} is already on ${target.name}: nothing changed.` };
  }
  if (target.numbers.length >= ctx.maxNumbersPerAgent) {
    const held = target.numbers.join(", ");
    return refuse(
      "agent_at_limit",
      "agent",
      `${target.name} already has ${held} (limit ${ctx.maxNumbersPerAgent} per agent). Unassign ${target.numbers.length === 1 ? "it" : "one"} first, or use Replace to move the agent to ${number.e164}.`,
    );
  }
  if (!current) return { decision: "apply", kind: "assign" };
  return gate(
    ctx,
    "reassign",
    `${current.name} loses ${number.e164} and cannot take inbound calls on it any more; ${target.name} gets it at once.`,
  );
}

/** Reassign and unassign need the user's confirmation, and an approver's for a production number. */
function gate(ctx: ChangeContext, kind: GatedKind, reason: string): ChangeDecision {
  if (ctx.number.isProduction && !ctx.approved) return { decision: "approval", kind, reason };
  if (!ctx.confirmed && !ctx.approved) return { decision: "confirm", kind, reason };
  return { decision: "apply", kind };
}

function refuse(code: RefusalCode, field: "number" | "agent", reason: string): ChangeDecision {
  return { decision: "refuse", code, reason, field };
}
