// Item 3 of issue 14: every Vapi number and assistant is imported, however many share one createdAt
// and whichever order Vapi answers in, against the fake account honouring Vapi's documented limits.
import { afterEach, describe, expect, it } from "vitest";
import { createVapiProvider } from "../../src/providers/vapi";
import { FakeProviderAccount, mountWithNock } from "../harness/fakeProviders";
import { FAST, providerError, useNock } from "./support";

useNock();

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

/** 2,500 items: 900 created at one instant, 700 at another, the rest a second apart. */
const createdAtOf = (i: number) => {
  if (i < 900) return "2026-03-01T00:00:00.000Z";
  if (i < 1600) return "2026-03-02T00:00:00.000Z";
  return new Date(Date.parse("2026-03-03T00:00:00.000Z") + i * 1000).toISOString();
};

function account(order: "newest" | "oldest") {
  const vapi = new FakeProviderAccount("vapi").setListOrder(order);
  for (let i = 0; i < 2500; i++) {
    vapi.addAgent({
      id: `a551a7a0-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: `A${i}`,
      createdAt: createdAtOf(i),
    });
    vapi.addNumber({ e164: `+1628${String(5_000_000 + i).padStart(7, "0")}`, createdAt: createdAtOf(i) });
  }
  unmount = mountWithNock([vapi]);
  return { vapi, provider: createVapiProvider({ apiKey: vapi.apiKey, ...FAST }) };
}

describe.each(["newest", "oldest"] as const)("Vapi listing with the API answering %s first", (order) => {
  it("imports all 2,500 numbers through /v2/phone-number pages", async () => {
    const { vapi, provider } = account(order);
    const numbers = await provider.listNumbers();
    expect(numbers).toHaveLength(2500);
    expect(new Set(numbers.map((n) => n.e164)).size).toBe(2500);
    expect(vapi.requestsTo("GET", "/v2/phone-number").map((r) => r.query.page)).toEqual(["1", "2", "3"]);
    expect(vapi.requestsTo("GET", "/v2/phone-number").every((r) => r.status === 200)).toBe(true);
  });

  it("imports all 2,500 assistants through the createdAt walk, never asking for more than 1,000", async () => {
    const { vapi, provider } = account(order);
    const agents = await provider.listAgents();
    expect(agents).toHaveLength(2500);
    expect(new Set(agents.map((a) => a.providerAgentId)).size).toBe(2500);
    const requests = vapi.requestsTo("GET", "/assistant");
    expect(requests.every((r) => r.status === 200 && Number(r.query.limit) <= 1000)).toBe(true);
  });
});

it("refuses to pass a list as complete when more assistants share one createdAt than a request returns", async () => {
  const vapi = new FakeProviderAccount("vapi");
  for (let i = 0; i < 1200; i++) {
    vapi.addAgent({
      id: `a551a7a0-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: `A${i}`,
      createdAt: "2026-03-01T00:00:00.000Z",
    });
  }
  unmount = mountWithNock([vapi]);
  const error = await providerError(createVapiProvider({ apiKey: vapi.apiKey, ...FAST }).listAgents());
  expect(error).toMatchObject({ kind: "bad_response", field: "createdAt" });
});
