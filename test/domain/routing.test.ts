// "Routes as recorded" as a table: our record against what the provider was seen routing to.
import { describe, expect, it } from "vitest";
import type { ProviderName } from "../../src/domain/providers";
import {
  type ObservedRouting,
  type RecordedRouting,
  type RoutingMismatch,
  routesAsRecorded,
  routingMismatch,
  storedOutbound,
} from "../../src/domain/routing";

const rec = (inbound: string | null, outbound: string | null = inbound): RecordedRouting => ({
  inbound,
  outbound,
});
const obs = (inbound: string[], outbound: string[] | null = null): ObservedRouting => ({ inbound, outbound });

describe("does the provider route the number as recorded?", () => {
  it.each<[string, RecordedRouting, ObservedRouting, RoutingMismatch]>([
    ["the recorded agent, provider keeps no outbound", rec("a"), obs(["a"]), null],
    ["no agent recorded, none routed", rec(null), obs([]), null],
    ["no agent recorded, one routed", rec(null), obs(["a"]), "inbound"],
    ["an agent recorded, none routed", rec("a"), obs([]), "inbound"],
    ["another agent routed", rec("a"), obs(["b"]), "inbound"],
    ["a weighted split that includes ours", rec("a"), obs(["a", "b"]), "inbound"],
    ["inbound and outbound as recorded (Retell)", rec("a"), obs(["a"], ["a"]), null],
    ["outbound caller ID moved to another agent", rec("a"), obs(["a"], ["b"]), "outbound"],
    ["outbound caller ID cleared", rec("a"), obs(["a"], []), "outbound"],
    ["outbound kept from the provider on purpose", rec("a", "b"), obs(["a"], ["b"]), null],
    ["inbound is reported before outbound", rec("a"), obs(["b"], ["b"]), "inbound"],
    ["unassigned with no outbound either", rec(null), obs([], []), null],
  ])("%s", (_label, recorded, observed, expected) => {
    expect(routingMismatch(recorded, observed)).toBe(expected);
    expect(routesAsRecorded(recorded, observed)).toBe(expected === null);
  });

  it.each<[ProviderName, string[], string[]]>([
    ["retell", ["a"], ["a"]],
    ["vapi", ["a"], []],
    ["bland", ["a"], []],
  ])("%s: the outbound binding stored is the provider's only where it keeps one", (provider, ids, stored) => {
    expect(storedOutbound(provider, ids)).toEqual(stored);
  });
});
