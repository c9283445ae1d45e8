// The one interface every voice provider implements. Services only ever see this file's types.

export const PROVIDERS = ["retell", "vapi", "bland"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const PROVIDER_LABEL: Record<ProviderName, string> = {
  retell: "Retell",
  vapi: "Vapi",
  bland: "Bland",
};

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
  name: string;
  /** The provider reports a published (production) version that live calls use. */
  published: boolean;
  /** Not deleted or disabled at the provider. */
  active: boolean;
  version: string | null;
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
  to: string;
}

export interface VoiceProvider {
  readonly name: ProviderName;
  listNumbers(): Promise<ProviderNumber[]>;
  listAgents(): Promise<ProviderAgent[]>;
  getNumber(ref: NumberRef): Promise<ProviderNumber>;
  /** The number with this E.164 in the account, or null if the account has none (first contact). */
  findNumber(e164: string): Promise<ProviderNumber | null>;
  /** One agent with its readiness, read live (for the one-number checklist). */
  getAgent(providerAgentId: string): Promise<ProviderAgent>;
  /** Routes inbound calls (and outbound caller ID where the provider keeps it) to exactly this agent, replacing any other. */
  bind(ref: NumberRef, providerAgentId: string): Promise<void>;
  /** Leaves the number with no agent. */
  unbind(ref: NumberRef): Promise<void>;
  /** Resolves when the key works; throws ProviderError (kind "auth" or "unavailable") otherwise. */
  checkKey(): Promise<void>;
  placeCall(input: PlaceCallInput): Promise<{ callId: string }>;
  getCall(callId: string): Promise<ProviderCall>;
}
