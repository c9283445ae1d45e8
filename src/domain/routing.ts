// "Does the provider route the number as recorded?" — the one definition, used by the rules, the
// findings, sync's drift count, the checklist, drift repair and the read-back after a write.
// A number routes as recorded when the provider sends its inbound calls to exactly the recorded
// agent (or to none when none is recorded) and, where the provider keeps an outbound binding on the
// number (Retell), makes it the outbound caller ID of exactly the recorded agent too.
import { KEEPS_OUTBOUND, type ProviderName } from "./providers";

/** Our record, as provider agent ids (null = no agent). */
export interface RecordedRouting {
  inbound: string | null;
  outbound: string | null;
}

/** What the provider was seen routing the number to. */
export interface ObservedRouting {
  inbound: string[];
  /** null where the provider keeps no outbound binding on the number: nothing to compare. */
  outbound: string[] | null;
}

/** Which side differs, if any: inbound is checked first. */
export type RoutingMismatch = "inbound" | "outbound" | null;

/** The provider routes to exactly this agent (null: to no agent at all). */
export function routesTo(observed: string[], providerAgentId: string | null): boolean {
  return providerAgentId === null
    ? observed.length === 0
    : observed.length === 1 && observed[0] === providerAgentId;
}

export function routingMismatch(recorded: RecordedRouting, observed: ObservedRouting): RoutingMismatch {
  if (!routesTo(observed.inbound, recorded.inbound)) return "inbound";
  if (observed.outbound !== null && !routesTo(observed.outbound, recorded.outbound)) return "outbound";
  return null;
}

export function routesAsRecorded(recorded: RecordedRouting, observed: ObservedRouting): boolean {
  return routingMismatch(recorded, observed) === null;
}

/** The outbound side as this provider keeps it: its list where it keeps one, else null. */
export function keptOutbound(provider: ProviderName, outbound: string[]): string[] | null {
  return KEEPS_OUTBOUND[provider] ? outbound : null;
}

/** What to store as the observed outbound binding: the provider's list, or [] where it keeps none. */
export function storedOutbound(provider: ProviderName, outbound: string[]): string[] {
  return keptOutbound(provider, outbound) ?? [];
}

/** Observed routing from what a provider (or our last read of it) reports. */
export function observed(provider: ProviderName, inbound: string[], outbound: string[]): ObservedRouting {
  return { inbound, outbound: keptOutbound(provider, outbound) };
}
