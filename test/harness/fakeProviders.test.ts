import nock from "nock";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createBlandProvider } from "../../src/providers/bland";
import { ProviderError } from "../../src/providers/errors";
import { createRetellProvider } from "../../src/providers/retell";
import {
  type AgentRef,
  type CallStatus,
  DEFAULT_AGENT_KIND,
  type ProviderCall,
  type VoiceProvider,
} from "../../src/providers/types";
import { createVapiProvider } from "../../src/providers/vapi";
import {
  DEFAULT_BASE_URLS,
  FakeProviderAccount,
  mountWithNock,
  type ProviderName,
  serveOnLoopback,
} from "./fakeProviders";

const PROVIDERS: ProviderName[] = ["retell", "vapi", "bland"];
const POLICY = { baseDelayMs: 5, timeoutMs: 300 } as const;
const CREATE = { retell: createRetellProvider, vapi: createVapiProvider, bland: createBlandProvider };

/** What each client lists numbers with, for path-targeted faults. */
const LIST_NUMBERS_PATH: Record<ProviderName, string> = {
  retell: "/v2/list-phone-numbers",
  vapi: "/v2/phone-number",
  bland: "/v1/inbound",
};

type Urls = Record<ProviderName, string>;

interface Transport {
  name: string;
  /** Serves the accounts until the current test finishes. */
  serve(accounts: FakeProviderAccount[]): Promise<Urls>;
}

const TRANSPORTS: Transport[] = [
  {
    name: "nock",
    async serve(accounts) {
      onTestFinished(mountWithNock(accounts));
      return DEFAULT_BASE_URLS;
    },
  },
  {
    name: "loopback",
    async serve(accounts) {
      const served = await serveOnLoopback(accounts);
      onTestFinished(() => served.close());
      return served.urls;
    },
  },
];

function client(account: FakeProviderAccount, urls: Urls, apiKey = account.apiKey): VoiceProvider {
  return CREATE[account.provider]({ apiKey, baseURL: urls[account.provider], ...POLICY });
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a ProviderError, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** An account with agents A and B (ids in the provider's style) and one unbound number. */
function smallAccount(provider: ProviderName) {
  const ids = {
    retell: ["agent_front", "agent_back"],
    vapi: ["5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a", "6f3a2b0d-9c8e-4d7f-b6a5-4c3d2e1f0a9b"],
    bland: ["4a3b2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0", "5b4c3d2e-1f0a-4b9c-a8d7-e6f5a4b3c2d1"],
  }[provider];
  const [a, b] = ids as [string, string];
  const e164 = "+14155550188";
  const account = new FakeProviderAccount(provider)
    .addAgent({ id: a, name: "Front desk" })
    .addAgent({ id: b, name: "Back office" })
    .addNumber({ e164, nickname: "Support" });
  const kind = DEFAULT_AGENT_KIND[provider];
  const refA: AgentRef = { providerAgentId: a, kind };
  const refB: AgentRef = { providerAgentId: b, kind };
  return { account, a, b, refA, refB, kind, e164, ref: account.refOf(e164) };
}

async function pollUntilEnded(provider: VoiceProvider, callId: string) {
  const seen: CallStatus[] = [];
  for (let i = 0; i < 10; i++) {
    const call = await provider.getCall(callId);
    seen.push(call.status);
    if (call.status === "ended") return { seen, last: call };
  }
  throw new Error(`call never ended: ${seen.join(" → ")}`);
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe.each(TRANSPORTS)("fake providers over $name", (transport) => {
  it("serves Retell lists across cursor pages and agent versions", async () => {
    const retell = new FakeProviderAccount("retell").seed({ numbers: 1500, agents: 12 });
    const provider = client(retell, await transport.serve([retell]));

    const numbers = await provider.listNumbers();
    expect(numbers).toHaveLength(1500);
    expect(new Set(numbers.map((n) => n.e164)).size).toBe(1500);
    expect(numbers.filter((n) => n.inboundAgentIds.length === 1)).toHaveLength(750);
    expect(numbers.every((n) => /^\+1415555\d{4}$/.test(n.e164))).toBe(true);
    const pages = retell.requestsTo("GET", "/v2/list-phone-numbers");
    expect(pages.map((r) => r.query)).toEqual([
      { limit: "1000" },
      { limit: "1000", pagination_key: expect.any(String) },
    ]);

    const agents = await provider.listAgents();
    expect(agents).toHaveLength(12);
    // Retell lists newest first unless sort_order=ascending.
    expect(agents.at(-1)).toEqual({
      providerAgentId: "agent_seed0001",
      kind: "agent",
      name: "Agent 001",
      modifiedAt: "2026-01-01T00:00:01.000Z",
      published: true,
      active: true,
      version: "1",
    });
    expect(retell.requestsTo("GET", "/list-agent-versions/")).toHaveLength(12);
    expect(retell.requestsTo("POST", "/v2/list-agents")[0]?.headers.authorization).toBe(
      "Bearer test-retell-key",
    );
  });

  it("serves Vapi numbers past 1000 in /v2/phone-number pages", async () => {
    const vapi = new FakeProviderAccount("vapi").seed({ numbers: 1200, agents: 3, boundRatio: 1 });
    const provider = client(vapi, await transport.serve([vapi]));

    const numbers = await provider.listNumbers();
    expect(numbers).toHaveLength(1200);
    expect(new Set(numbers.map((n) => n.providerNumberId)).size).toBe(1200);
    expect(numbers.every((n) => n.e164.startsWith("+1628555") && n.inboundAgentIds.length === 1)).toBe(true);
    const pages = vapi.requestsTo("GET", "/v2/phone-number");
    expect(pages.map((r) => r.query)).toEqual([
      { page: "1", limit: "1000", sortBy: "createdAt", sortOrder: "ASC" },
      { page: "2", limit: "1000", sortBy: "createdAt", sortOrder: "ASC" },
    ]);

    expect((await provider.listAgents()).map((a) => a.name)).toEqual(["Agent 003", "Agent 002", "Agent 001"]);
  });

  it("serves Bland personas page by page and numbers from /v1/inbound", async () => {
    const bland = new FakeProviderAccount("bland").seed({ numbers: 40, agents: 230 });
    const provider = client(bland, await transport.serve([bland]));

    expect(await provider.listAgents()).toHaveLength(230);
    expect(bland.requestsTo("GET", "/v1/personas").map((r) => r.query.page)).toEqual(["1", "2", "3"]);
    const numbers = await provider.listNumbers();
    expect(numbers).toHaveLength(40);
    const first = numbers.find((n) => n.e164 === "+16505550000");
    expect(first?.inboundAgentIds).toEqual(bland.agentIdsOf("+16505550000"));
    expect(numbers.filter((n) => n.inboundAgentIds.length > 0)).toHaveLength(20);
    expect(bland.requests[0]?.headers.authorization).toBe("test-bland-key");
  });

  describe.each(PROVIDERS)("%s", (name) => {
    it("binds, reads back, shows drift, unbinds", async () => {
      const { account, a, b, refA, e164, ref } = smallAccount(name);
      const provider = client(account, await transport.serve([account]));

      await provider.bind(ref, refA);
      expect(account.agentIdsOf(e164)).toEqual([a]);
      expect((await provider.getNumber(ref)).inboundAgentIds).toEqual([a]);
      if (name === "retell") expect(account.outboundAgentIdsOf(e164)).toEqual([a]);
      expect(account.writes().length).toBeGreaterThan(0);

      account.setBinding(e164, [b]);
      expect((await provider.getNumber(ref)).inboundAgentIds).toEqual([b]);
      expect((await provider.listNumbers()).find((n) => n.e164 === e164)?.inboundAgentIds).toEqual([b]);

      // Bland moves a number by detaching the old persona first.
      await provider.bind(ref, refA);
      expect(account.agentIdsOf(e164)).toEqual([a]);

      await provider.unbind(ref);
      expect(account.agentIdsOf(e164)).toEqual([]);
      expect((await provider.getNumber(ref)).inboundAgentIds).toEqual([]);
      expect(account.writes().every((w) => w.status === 200)).toBe(true);
    });

    it("answers an injected 429 and then succeeds on the client's retry", async () => {
      const { account } = smallAccount(name);
      const provider = client(account, await transport.serve([account]));
      account.failNext({ method: "GET", path: LIST_NUMBERS_PATH[name] }, { status: 429 });

      expect(await provider.listNumbers()).toHaveLength(1);
      const attempts = account.requestsTo("GET", LIST_NUMBERS_PATH[name]);
      expect(attempts.map((r) => [r.status, r.fault])).toEqual([
        [429, "status 429"],
        [200, undefined],
      ]);
    });

    it("rejects a wrong key with 401 and accepts the right one", async () => {
      const { account } = smallAccount(name);
      const urls = await transport.serve([account]);

      const error = await providerError(client(account, urls, "wrong-key").checkKey());
      expect(error).toMatchObject({ kind: "auth", status: 401, provider: name });
      expect(error.providerMessage).toBeTruthy();
      await client(account, urls).checkKey();
      if (name === "bland") {
        // Bland's docs (api-v1/post/calls-agent, platform/agent-quickstart) now accept a Bearer prefix too.
        await client(account, urls, `Bearer ${account.apiKey}`).checkKey();
      }
    });

    it("walks a placed call through its statuses, and scripts other outcomes", async () => {
      const { account, a, kind, ref } = smallAccount(name);
      const provider = client(account, await transport.serve([account]));
      const place = () => provider.placeCall({ from: ref, to: "+14155550199", providerAgentId: a, kind });

      const { callId } = await place();
      expect(account.calls.get(callId)).toMatchObject({ from: ref.e164, to: "+14155550199", agentId: a });
      const answered = await pollUntilEnded(provider, callId);
      expect(answered.seen).toEqual(
        {
          retell: ["queued", "in_progress", "ended"],
          vapi: ["queued", "ringing", "in_progress", "ended"],
          bland: ["queued", "in_progress", "ended"],
        }[name],
      );
      expect(answered.last).toMatchObject<Partial<ProviderCall>>({ connected: true, durationSec: 42 });
      expect((await provider.getCall(callId)).status).toBe("ended");

      account.scriptCall({ outcome: "no_answer" });
      const missed = await pollUntilEnded(provider, (await place()).callId);
      expect(missed.last.connected).toBe(false);
      expect(missed.last.endReason).toBe(
        { retell: "dial_no_answer", vapi: "customer-did-not-answer", bland: "no-answer" }[name],
      );

      account.scriptCall({ reject: { status: 400, message: "Destination not allowed." } });
      const error = await providerError(place());
      expect(error).toMatchObject({
        kind: "rejected",
        status: 400,
        providerMessage: "Destination not allowed.",
      });
    });

    it("reads back something else once after a write (onRead)", async () => {
      const { account, a, b, refA, e164, ref } = smallAccount(name);
      const provider = client(account, await transport.serve([account]));
      account.onRead(e164, [b], { afterWrite: true });

      await provider.bind(ref, refA);
      expect((await provider.getNumber(ref)).inboundAgentIds).toEqual([b]);
      expect((await provider.getNumber(ref)).inboundAgentIds).toEqual([a]);
      expect(account.agentIdsOf(e164)).toEqual([a]);
    });

    it("applies a write whose answer is lost, and the retry finds it done", async () => {
      const { account, a, refA, e164, ref } = smallAccount(name);
      const provider = client(account, await transport.serve([account]));
      account.failNext({}, { afterWrite: "lose" });

      await provider.bind(ref, refA);
      expect(account.agentIdsOf(e164)).toEqual([a]);
      expect(account.writes().map((w) => w.status)).toEqual([0, 200]);
    });

    it("injects slow answers, dropped connections and malformed bodies", async () => {
      const { account, ref } = smallAccount(name);
      const provider = client(account, await transport.serve([account]));
      const path = LIST_NUMBERS_PATH[name];

      account.failNext({ path }, { delayMs: 600 });
      expect(await provider.listNumbers()).toHaveLength(1);
      account.failNext({ path }, { networkError: true });
      expect(await provider.listNumbers()).toHaveLength(1);
      expect(account.requestsTo("GET", path).map((r) => r.status)).toEqual([200, 200, 0, 200]);

      account.failNext({ path: /./ }, { malformedJson: true });
      expect(await providerError(provider.getNumber(ref))).toMatchObject({ kind: "bad_response" });
    });

    it("reads one agent live, and reports an unknown one as not found", async () => {
      const { account, a, b } = smallAccount(name);
      account.setAgent(b, { published: false });
      const provider = client(account, await transport.serve([account]));
      expect(await provider.getAgent(a)).toMatchObject({
        providerAgentId: a,
        name: "Front desk",
        active: true,
      });
      // Vapi has no publish flag.
      expect((await provider.getAgent(b)).published).toBe(name === "vapi");
      expect(await providerError(provider.getAgent("missing-agent"))).toMatchObject({ kind: "not_found" });
    });

    it("reports an unknown number as not found", async () => {
      const { account } = smallAccount(name);
      const provider = client(account, await transport.serve([account]));
      const e164 = "+14155550111";
      const ref = { providerNumberId: name === "vapi" ? "0b8a6f5e-3c1d-4e2f-9a7b-1c2d3e4f5a6b" : e164, e164 };
      const error = await providerError(provider.getNumber(ref));
      expect(error).toMatchObject({ kind: "not_found", status: name === "retell" ? 422 : 404 });
    });
  });
});

describe("fake providers: shapes and rules", () => {
  const retellGet = (account: FakeProviderAccount, path: string) =>
    account.handle({ method: "GET", path, headers: { Authorization: `Bearer ${account.apiKey}` } });

  it("answers 401 and 404 with each provider's error body", () => {
    const retell = new FakeProviderAccount("retell", { apiKey: "k" });
    expect(retell.handle({ method: "GET", path: "/v2/list-phone-numbers", headers: {} })).toMatchObject({
      status: 401,
      body: { status: "error", message: "API key is missing or invalid." },
    });
    expect(retellGet(retell, "/nope")).toMatchObject({ status: 404, body: { status: "error" } });
    const vapi = new FakeProviderAccount("vapi");
    expect(vapi.handle({ method: "GET", path: "/assistant", headers: {} })).toMatchObject({
      status: 401,
      body: { error: "Unauthorized", statusCode: 401 },
    });
  });

  it("pages Retell by limit and pagination_key, in either sort order", () => {
    const retell = new FakeProviderAccount("retell").seed({ numbers: 5, agents: 0 });
    const first = retellGet(retell, "/v2/list-phone-numbers?limit=2&sort_order=ascending");
    const page = first.body as {
      items: { phone_number: string }[];
      has_more: boolean;
      pagination_key: string;
    };
    expect(page.items.map((n) => n.phone_number)).toEqual(["+14155550000", "+14155550001"]);
    expect(page.has_more).toBe(true);
    const next = retellGet(
      retell,
      `/v2/list-phone-numbers?limit=2&sort_order=ascending&pagination_key=${page.pagination_key}`,
    ).body as { items: { phone_number: string }[] };
    expect(next.items.map((n) => n.phone_number)).toEqual(["+14155550002", "+14155550003"]);
    const newest = retellGet(retell, "/v2/list-phone-numbers?limit=1").body as typeof page;
    expect(newest.items[0]?.phone_number).toBe("+14155550004");
    expect(retellGet(retell, "/v2/list-phone-numbers?limit=1001").status).toBe(400);
  });

  it("enforces Retell's weighted-list body and refuses the retired single-agent fields", () => {
    const retell = new FakeProviderAccount("retell")
      .addAgent({ id: "agent_a", name: "A" })
      .addAgent({ id: "agent_b", name: "B" })
      .addNumber({ e164: "+14155550123", agentIds: ["agent_a", "agent_b"] });
    const patch = (body: unknown) =>
      retell.handle({
        method: "PATCH",
        path: "/update-phone-number/+14155550123",
        body,
        headers: { authorization: `Bearer ${retell.apiKey}` },
      });
    expect(retellGet(retell, "/get-phone-number/+14155550123").body).toMatchObject({
      inbound_agents: [
        { agent_id: "agent_a", weight: 0.5 },
        { agent_id: "agent_b", weight: 0.5 },
      ],
    });
    expect(patch({ inbound_agent_id: "agent_a" }).status).toBe(400);
    expect(patch({ inbound_agents: [{ agent_id: "agent_a", weight: 0.5 }] }).status).toBe(400);
    expect(patch({ inbound_agents: [{ agent_id: "agent_x", weight: 1 }] }).status).toBe(422);
    expect(retellGet(retell, "/get-phone-number/+14155550000")).toMatchObject({
      status: 422,
      body: { message: "Cannot find requested asset under given api key." },
    });
    expect(retell.writes().map((w) => w.status)).toEqual([400, 400, 422]);
    expect(retell.agentIdsOf("+14155550123")).toEqual(["agent_a", "agent_b"]);
  });

  it("reports deleted and unpublished agents the way each provider does", async () => {
    const accounts = PROVIDERS.map((p) =>
      new FakeProviderAccount(p)
        .addAgent({ id: `${p}-live`, name: "Live" })
        .addAgent({ id: `${p}-draft`, name: "Draft", published: false })
        .addAgent({ id: `${p}-gone`, name: "Gone", active: false }),
    );
    onTestFinished(mountWithNock(accounts));
    const [retell, vapi, bland] = await Promise.all(
      accounts.map((a) => client(a, DEFAULT_BASE_URLS).listAgents()),
    );
    const brief = (list: typeof retell = []) => list.map((a) => [a.providerAgentId, a.published, a.active]);
    expect(brief(retell)).toEqual([
      ["retell-gone", false, false],
      ["retell-draft", false, true],
      ["retell-live", true, true],
    ]);
    // Vapi has no publish flag and drops deleted assistants from its list.
    expect(brief(vapi)).toEqual([
      ["vapi-draft", true, true],
      ["vapi-live", true, true],
    ]);
    expect(brief(bland)).toEqual([
      ["bland-live", true, true],
      ["bland-draft", false, true],
      ["bland-gone", true, false],
    ]);
  });

  it("clears a Vapi squad when binding, and accepts Bland numbers in any path encoding", async () => {
    const vapi = new FakeProviderAccount("vapi")
      .addAgent({ id: "asst-1", name: "A" })
      .addNumber({ e164: "+16285550100", fields: { squadId: "squad-1" } });
    const bland = new FakeProviderAccount("bland").addNumber({ e164: "+16505550100" });
    onTestFinished(mountWithNock([vapi, bland]));
    const provider = client(vapi, DEFAULT_BASE_URLS);
    const ref = vapi.refOf("+16285550100");
    expect((await provider.getNumber(ref)).otherRouting).toEqual({ squadId: "squad-1" });
    await provider.bind(ref, { providerAgentId: "asst-1", kind: "assistant" });
    expect(vapi.fieldsOf("+16285550100")).toEqual({});
    expect(vapi.writes()[0]?.body).toEqual({ assistantId: "asst-1", squadId: null, workflowId: null });

    const get = (path: string) =>
      bland.handle({ method: "GET", path, headers: { authorization: bland.apiKey } });
    for (const path of ["/v1/inbound/+16505550100", "/v1/inbound/%2B16505550100", "/v1/inbound/6505550100"]) {
      expect(get(path)).toMatchObject({ status: 200, body: { phone_number: "+16505550100" } });
    }
    expect(get("/v1/personas?limit=101").status).toBe(400);
  });

  it("seeds deterministic, provider-specific ranges and edits fixtures behind the client's back", async () => {
    const accounts = PROVIDERS.map((p) =>
      new FakeProviderAccount(p).seed({ numbers: 3, agents: 2, boundRatio: 1 }),
    );
    const [retell, vapi, bland] = accounts as [FakeProviderAccount, FakeProviderAccount, FakeProviderAccount];
    expect(retell.agentIdsOf("+14155550000")).toEqual(["agent_seed0001"]);
    expect(retell.agentIdsOf("+14155550002")).toEqual(["agent_seed0001"]);
    expect(vapi.refOf("+16285550001").providerNumberId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bland.agentIdsOf("+16505550001")).toEqual(["9e450aa0-5eed-4000-8000-000000000002"]);
    onTestFinished(mountWithNock(accounts));
    const provider = (account: FakeProviderAccount) => client(account, DEFAULT_BASE_URLS);

    retell.setAgent("agent_seed0002", { published: false, name: "Renamed" });
    expect((await provider(retell).listAgents()).find((a) => a.name === "Renamed")?.published).toBe(false);
    // Deleting a Retell agent leaves numbers pointing at it; deleting a Bland persona frees its numbers.
    retell.removeAgent("agent_seed0001");
    expect((await provider(retell).getNumber(retell.refOf("+14155550000"))).inboundAgentIds).toEqual([
      "agent_seed0001",
    ]);
    bland.removeAgent("9e450aa0-5eed-4000-8000-000000000001");
    expect(bland.agentIdsOf("+16505550000")).toEqual([]);
    expect((await provider(bland).listNumbers()).map((n) => n.inboundAgentIds.length)).toEqual([0, 1, 0]);

    const gone = vapi.refOf("+16285550002");
    vapi.removeNumber("+16285550002");
    expect(await providerError(provider(vapi).getNumber(gone))).toMatchObject({ kind: "not_found" });
    expect(await provider(vapi).listNumbers()).toHaveLength(2);
  });

  it("answers a crashing fixture with a visible 500", () => {
    const retell = new FakeProviderAccount("retell").scriptCall({ statuses: [] }).addNumber({
      e164: "+14155550100",
      agentIds: [],
      outboundAgentIds: [],
    });
    retell.addAgent({ id: "agent_a", name: "A" });
    const response = retell.handle({
      method: "POST",
      path: "/v2/create-phone-call",
      body: { from_number: "+14155550100", to_number: "+14155550199", override_agent_id: "agent_a" },
      headers: { authorization: `Bearer ${retell.apiKey}` },
    });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ message: expect.stringContaining("statuses must not be empty") });
  });

  it("routes by API key between two accounts of one provider, and unmounts cleanly", async () => {
    const one = new FakeProviderAccount("retell", { apiKey: "key-one" }).addNumber({ e164: "+14155550001" });
    const two = new FakeProviderAccount("retell", { apiKey: "key-two" }).addNumber({ e164: "+14155550002" });
    const unmount = mountWithNock([one, two]);
    const list = (account: FakeProviderAccount) => client(account, DEFAULT_BASE_URLS).listNumbers();
    expect((await list(one)).map((n) => n.e164)).toEqual(["+14155550001"]);
    expect((await list(two)).map((n) => n.e164)).toEqual(["+14155550002"]);
    expect(one.requests).toHaveLength(1);

    unmount();
    expect(await providerError(list(one))).toMatchObject({ kind: "unavailable" });
    expect(one.requests).toHaveLength(1);
  });
});

describe("the fake Bland account's v2 agents (issue 14)", () => {
  const AGENT = "a9e00000-0000-4000-8000-00000000a9e1";
  const DRAFT = "a9e00000-0000-4000-8000-00000000a9e2";
  const PERSONA = "4a3b2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0";
  const NUMBER = "+16505550100";
  const setup = () => {
    const bland = new FakeProviderAccount("bland")
      .addAgent({ id: PERSONA, name: "Desk" })
      .addAgent({ id: AGENT, name: "New desk", kind: "agent" })
      .addAgent({ id: DRAFT, name: "Draft", kind: "agent", published: false })
      .addNumber({ e164: NUMBER, agentIds: [PERSONA], fields: { pathway_id: "pw-1" } });
    const call = (method: string, path: string, body?: unknown) =>
      bland.handle({ method, path, body, headers: { authorization: bland.apiKey } });
    return { bland, call };
  };

  it("lists agents (not personas) and their environments, production pinned only once promoted", () => {
    const { call } = setup();
    const list = call("GET", "/v2/agents?limit=500").body as { data: { id: string }[] };
    expect(list.data.map((a) => a.id).sort()).toEqual([AGENT, DRAFT].sort());
    const envs = (id: string) =>
      (
        call("GET", `/v2/agents/${id}/environments`).body as {
          data: { env_type: string; current_version_id: string | null }[];
        }
      ).data;
    expect(envs(AGENT).find((e) => e.env_type === "production")?.current_version_id).toBeTruthy();
    expect(envs(DRAFT).find((e) => e.env_type === "production")?.current_version_id).toBeNull();
    expect(envs(AGENT).find((e) => e.env_type === "dev")?.current_version_id).toBeNull();
    const personas = call("GET", "/v1/personas").body as { data: { id: string }[] };
    expect(personas.data.map((p) => p.id)).toEqual([PERSONA]);
  });

  it("attach replaces the persona and pathway, creates the backing persona once, and detach undoes it", () => {
    const { bland, call } = setup();
    expect(call("GET", `/v2/agents/${AGENT}/inbound`).body).toEqual({
      data: { agent_id: AGENT, persona_id: null },
      errors: null,
    });
    expect(call("POST", `/v2/agents/${AGENT}/inbound/attach`, { inbound_numbers: [NUMBER] }).status).toBe(
      200,
    );
    expect(bland.agentIdsOf(NUMBER)).toEqual([AGENT]);
    expect(bland.fieldsOf(NUMBER).pathway_id).toBeUndefined();
    const backing = (call("GET", `/v2/agents/${AGENT}/inbound`).body as { data: { persona_id: string } }).data
      .persona_id;
    expect(backing).toBeTruthy();
    const persona = call("GET", `/v1/personas/${backing}`).body as {
      data: { inbound_numbers: { phone_number: string }[] };
    };
    expect(persona.data.inbound_numbers.map((n) => n.phone_number)).toEqual([NUMBER]);

    expect(
      call("POST", `/v2/agents/${AGENT}/inbound/detach`, { inbound_numbers: [NUMBER, "+16505550199"] }).body,
    ).toEqual({
      data: { agent_id: AGENT, detached_count: 1 },
      errors: null,
    });
    expect(bland.agentIdsOf(NUMBER)).toEqual([]);
    // Bland keeps the backing persona after the last detach.
    expect(
      (call("GET", `/v2/agents/${AGENT}/inbound`).body as { data: { persona_id: string } }).data.persona_id,
    ).toBe(backing);
  });

  it("refuses what Bland documents it refuses", () => {
    const { call } = setup();
    expect(call("POST", `/v2/agents/${AGENT}/inbound/attach`, { inbound_numbers: [] })).toMatchObject({
      status: 400,
      body: { errors: [{ error: "INVALID_BODY" }] },
    });
    expect(
      call("POST", `/v2/agents/${AGENT}/inbound/attach`, { inbound_numbers: ["+19995550000"] }),
    ).toMatchObject({
      status: 400,
      body: { errors: [{ error: "INVALID_INBOUND_NUMBERS" }] },
    });
    const unpinned = call("POST", "/v1/calls", { phone_number: "+14155550199", agent_id: DRAFT });
    expect(unpinned.status).toBe(400);
    expect(JSON.stringify(unpinned.body)).toContain("AGENT_ENV_UNPINNED");
    expect(call("POST", "/v1/calls", { phone_number: "+14155550199", agent_id: AGENT }).status).toBe(200);
  });

  it("serves migration splits and the account status", () => {
    const { bland, call } = setup();
    expect(call("GET", "/v1/convo_pathway/pw-1/migration_split").body).toEqual({
      data: { migration_split: null },
      errors: null,
    });
    bland.setMigrationSplit("pw-1", { agentId: AGENT, percentage: 40 });
    expect(call("GET", "/v1/convo_pathway/pw-1/migration_split").body).toMatchObject({
      data: { migration_split: { agent_id: AGENT, v2_percentage: 40 } },
    });
    bland.setAccountStatus("suspended");
    expect(call("GET", "/v1/me").body).toMatchObject({ status: "suspended" });
  });
});
