// Rules R2–R7 as a table: each row is a situation and what the bot must do.
import { describe, expect, it } from "vitest";
import { type AgentFacts, type ChangeContext, decideChange } from "../../src/domain/assignmentRules";

const agent = (id: string, over: Partial<AgentFacts> = {}): AgentFacts => ({
  id,
  name: id === "a1" ? "Front desk" : id === "a2" ? "Sales" : id,
  provider: "retell",
  providerAgentId: `p_${id}`,
  gone: false,
  numbers: [],
  ...over,
});

function ctx(
  over: Partial<ChangeContext> & { current?: AgentFacts | null; production?: boolean } = {},
): ChangeContext {
  const { current = null, production = false, ...rest } = over;
  return {
    number: {
      e164: "+15550001111",
      provider: "retell",
      isProduction: production,
      gone: false,
      currentAgent: current,
      providerAgentIds: current ? [current.providerAgentId] : [],
    },
    target: agent("a2"),
    providerEnabled: true,
    maxNumbersPerAgent: 1,
    confirmed: false,
    approved: false,
    ...rest,
  };
}

describe("deciding a change to a number's agent", () => {
  it.each([
    ["a free number is assigned at once", ctx(), { decision: "apply", kind: "assign" }],
    [
      "reassigning asks the user to confirm first",
      ctx({ current: agent("a1") }),
      { decision: "confirm", kind: "reassign" },
    ],
    [
      "a confirmed reassignment applies",
      ctx({ current: agent("a1"), confirmed: true }),
      { decision: "apply", kind: "reassign" },
    ],
    [
      "reassigning a production number needs an approver",
      ctx({ current: agent("a1"), production: true }),
      { decision: "approval", kind: "reassign" },
    ],
    [
      "even confirmed, a production reassignment needs an approver",
      ctx({ current: agent("a1"), production: true, confirmed: true }),
      { decision: "approval", kind: "reassign" },
    ],
    [
      "an approved production reassignment applies",
      ctx({ current: agent("a1"), production: true, approved: true }),
      { decision: "apply", kind: "reassign" },
    ],
    [
      "unassigning asks to confirm",
      ctx({ current: agent("a1"), target: null }),
      { decision: "confirm", kind: "unassign" },
    ],
    [
      "unassigning a production number needs an approver",
      ctx({ current: agent("a1"), target: null, production: true }),
      { decision: "approval", kind: "unassign" },
    ],
    [
      "assigning a free production number needs no approval",
      ctx({ production: true }),
      { decision: "apply", kind: "assign" },
    ],
  ])("%s", (_, context, expected) => {
    expect(decideChange(context)).toMatchObject(expected);
  });

  it("refuses a provider mismatch naming both providers and that numbers are bought per provider (R4)", () => {
    const decision = decideChange(ctx({ target: agent("v1", { name: "Vapi bot", provider: "vapi" }) }));
    expect(decision).toMatchObject({ decision: "refuse", code: "provider_mismatch", field: "agent" });
    const reason = (decision as { reason: string }).reason;
    expect(reason).toContain("Retell number");
    expect(reason).toContain("Vapi agent");
    expect(reason).toContain("bought per provider");
  });

  it("refuses an agent at its number limit naming its current number and offering Replace (R3)", () => {
    const decision = decideChange(ctx({ target: agent("a2", { numbers: ["+15559990000"] }) }));
    expect(decision).toMatchObject({ decision: "refuse", code: "agent_at_limit" });
    expect((decision as { reason: string }).reason).toContain("+15559990000");
    expect((decision as { reason: string }).reason).toContain("Replace");
  });

  it("allows several numbers per agent when policy allows", () => {
    expect(
      decideChange(ctx({ maxNumbersPerAgent: 3, target: agent("a2", { numbers: ["+1", "+2"] }) })),
    ).toMatchObject({
      decision: "apply",
    });
  });

  it("does nothing when the number is already on that agent", () => {
    expect(decideChange(ctx({ current: agent("a2") }))).toMatchObject({ decision: "noop" });
  });

  it("does nothing when unassigning a number that has no agent", () => {
    expect(decideChange(ctx({ target: null }))).toMatchObject({ decision: "noop" });
  });

  it("refuses when the number's provider is not configured, naming the variable to set", () => {
    const decision = decideChange(ctx({ providerEnabled: false }));
    expect(decision).toMatchObject({ decision: "refuse", code: "provider_not_configured" });
    expect((decision as { reason: string }).reason).toContain("RETELL_API_KEY");
  });

  it("refuses an agent that is gone at the provider", () => {
    expect(decideChange(ctx({ target: agent("a2", { gone: true }) }))).toMatchObject({ code: "agent_gone" });
  });

  it("refuses a number that is gone from the account", () => {
    const context = ctx();
    context.number.gone = true;
    expect(decideChange(context)).toMatchObject({ code: "number_gone", field: "number" });
  });

  it("repairs drift: the record's agent again where the provider routes elsewhere (restore), gated like any change", () => {
    const drifted = ctx({ current: agent("a2") });
    drifted.number.providerAgentIds = ["p_a1"];
    expect(decideChange(drifted)).toMatchObject({ decision: "confirm", kind: "restore" });
    expect(decideChange({ ...drifted, confirmed: true })).toMatchObject({
      decision: "apply",
      kind: "restore",
    });
    drifted.number.isProduction = true;
    expect(decideChange({ ...drifted, confirmed: true })).toMatchObject({
      decision: "approval",
      kind: "restore",
    });
  });

  it("repairs drift to no agent: the provider routes a number Switchboard has unassigned", () => {
    const drifted = ctx({ target: null });
    drifted.number.providerAgentIds = ["p_a1"];
    expect(decideChange({ ...drifted, confirmed: true })).toMatchObject({
      decision: "apply",
      kind: "restore",
    });
  });
});
