// The one interface every voice provider implements. Services only ever see this file's types.

import type { AgentKind, ProviderName } from "../domain/providers";

// Names, labels and kinds live in the domain; re-exported for the provider clients.
export {
  type AgentKind,
  DEFAULT_AGENT_KIND,
  KEEPS_OUTBOUND,
  PROVIDER_LABEL,
  PROVIDERS,
  type ProviderName,
} from "../domain/providers";

/** An agent as a binding call needs it: its provider id and its kind. */
export interface AgentRef {
  providerAgentId: string;
  kind: AgentKind;
}

/** How a provider addresses a number: Retell and Bland by E.164, Vapi by UUID. */
export interface NumberRef {
  providerNumberId: string;
  e164: string;
}

/** Routing the provider has besides an agent, which may still answer an unbound number. */
export interface OtherRouting {
  webhookUrl?: string;
  serverUrl?: string;
  fallbackDestination?: string;
  squadId?: string;
  workflowId?: string;
  pathwayId?: string;
  inlinePrompt?: boolean;
  /**
   * Bland: the number is bound to a pathway that sends `percentage` % of its calls to a v2 agent
   * (a migration split). Provider routing by design, not drift.
   */
  migrationSplit?: MigrationSplit;
}

export interface MigrationSplit {
  pathwayId: string;
  agentId: string;
  percentage: number;
}

export interface ProviderNumber extends NumberRef {
  nickname: string | null;
  /** Provider agent ids that take inbound calls; more than one is a weighted split (Retell). */
  inboundAgentIds: string[];
  /** Provider agent ids whose outbound caller ID this number is; only Retell keeps this on the number. */
  outboundAgentIds: string[];
  otherRouting: OtherRouting | null;
}

export interface ProviderAgent {
  providerAgentId: string;
  kind: AgentKind;
  name: string;
  /** The provider reports a published (production) version that live calls use. */
  published: boolean;
  /** Not deleted or disabled at the provider. */
  active: boolean;
  version: string | null;
  /** The provider's last-modified time of the agent (ISO), where it reports one (Retell). */
  modifiedAt?: string | null;
}

/**
 * What sync already knows, so a provider can skip per-agent reads it does not need (Retell's
 * `list-agent-versions`): `known` is the last readiness recorded per provider agent id, `needed`
 * the agents whose readiness must be read live whatever their timestamp (those bound to a number).
 */
export interface ListAgentsHints {
  known: ReadonlyMap<string, Pick<ProviderAgent, "published" | "active" | "version" | "modifiedAt">>;
  needed: ReadonlySet<string>;
}

export type CallStatus = "queued" | "ringing" | "in_progress" | "ended";

export interface ProviderCall {
  callId: string;
  status: CallStatus;
  /** Provider's own end reason, verbatim (e.g. "dial_no_answer", "customer-did-not-answer"). */
  endReason: string | null;
  durationSec: number | null;
  /** True once the callee answered; false when it ended without connecting; null while unknown. */
  connected: boolean | null;
}

export interface PlaceCallInput {
  from: NumberRef;
  providerAgentId: string;
  kind: AgentKind;
  to: string;
}

export interface VoiceProvider {
  readonly name: ProviderName;
  listNumbers(): Promise<ProviderNumber[]>;
  /** Every agent with its readiness; `hints` lets a provider skip reads whose answer sync already has. */
  listAgents(hints?: ListAgentsHints): Promise<ProviderAgent[]>;
  getNumber(ref: NumberRef): Promise<ProviderNumber>;
  /** The number with this E.164 in the account, or null if the account has none (first contact). */
  findNumber(e164: string): Promise<ProviderNumber | null>;
  /** One agent with its readiness, read live (for the one-number checklist). `kind` picks the API where a provider has several. */
  getAgent(providerAgentId: string, kind?: AgentKind): Promise<ProviderAgent>;
  /**
   * Routes inbound calls (and outbound caller ID where the provider keeps it) to exactly this agent,
   * replacing any other. Where the provider needs two calls, a failure leaves the previous binding
   * (restored if need be) or throws a ProviderError with `bindingLost` set.
   */
  bind(ref: NumberRef, agent: AgentRef): Promise<void>;
  /** Leaves the number with no agent. */
  unbind(ref: NumberRef): Promise<void>;
  /** Resolves when the key and account work; throws ProviderError ("auth", "billing", "account_inactive", "unavailable"…) otherwise. */
  checkKey(): Promise<void>;
  placeCall(input: PlaceCallInput): Promise<{ callId: string }>;
  getCall(callId: string): Promise<ProviderCall>;
}
