// One fake provider account: fixtures, faults and the transport-agnostic `handle`.
import type { NumberRef } from "../../../src/providers/types";
import { blandE164, blandRoutes } from "./bland";
import { retellRoutes } from "./retell";
import {
  BASE_TIME,
  E164,
  idsOf,
  type NormalizedRequest,
  type NumberState,
  type ProviderRoutes,
  type Route,
  Store,
  weightsOf,
} from "./store";
import type {
  CallScript,
  FakeAgent,
  FakeCall,
  FakeNumber,
  FakeRequest,
  FakeResponse,
  FaultMatch,
  FaultReply,
  OnReadOptions,
  ProviderName,
  RecordedRequest,
  SeedCounts,
} from "./types";
import { vapiRoutes } from "./vapi";

const ROUTES: Record<ProviderName, ProviderRoutes> = {
  retell: retellRoutes,
  vapi: vapiRoutes,
  bland: blandRoutes,
};

/** First seeded number per provider: +1415555xxxx, +1628555xxxx, +1650555xxxx. */
const SEED_NUMBER_BASE: Record<ProviderName, number> = {
  retell: 14155550000,
  vapi: 16285550000,
  bland: 16505550000,
};

const seedAgentId = (provider: ProviderName, i: number) => {
  const tail = String(i).padStart(12, "0");
  if (provider === "retell") return `agent_seed${String(i).padStart(4, "0")}`;
  return provider === "vapi" ? `a551a7a0-5eed-4000-8000-${tail}` : `9e450aa0-5eed-4000-8000-${tail}`;
};

interface Fault {
  match: FaultMatch;
  reply: FaultReply;
  remaining: number;
}

export class FakeProviderAccount {
  readonly apiKey: string;
  /** Every request that reached this account, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  private readonly store: Store;
  private readonly routes: ProviderRoutes;
  private readonly faults: Fault[] = [];
  private seededNumbers = 0;
  private seededAgents = 0;

  constructor(
    readonly provider: ProviderName,
    options: { apiKey?: string } = {},
  ) {
    this.apiKey = options.apiKey ?? `test-${provider}-key`;
    this.store = new Store(provider);
    this.routes = ROUTES[provider];
  }

  /** Test calls placed on this account, by provider call id. */
  get calls(): Map<string, FakeCall> {
    return this.store.calls;
  }

  // ── fixtures ──────────────────────────────────────────────────────────────

  addAgent(agent: FakeAgent): this {
    if (this.store.agents.has(agent.id)) throw new Error(`fake ${this.provider}: agent ${agent.id} exists`);
    const seq = this.store.nextSeq();
    const createdAt = agent.createdAt ? Date.parse(agent.createdAt) : BASE_TIME + seq * 1000;
    this.store.agents.set(agent.id, {
      id: agent.id,
      name: agent.name,
      published: agent.published ?? true,
      active: agent.active ?? true,
      version: agent.version ?? null,
      channel: agent.channel ?? "voice",
      kind: agent.kind ?? "persona",
      hasVersions: agent.hasVersions ?? true,
      seq,
      createdAt,
      updatedAt: createdAt,
    });
    return this;
  }

  addNumber(number: FakeNumber): this {
    const e164 = this.provider === "bland" ? blandE164(number.e164) : number.e164;
    if (!E164.test(e164)) throw new Error(`fake ${this.provider}: ${number.e164} is not E.164`);
    if (this.store.numbers.has(e164)) throw new Error(`fake ${this.provider}: number ${e164} exists`);
    const agentIds = number.agentIds ?? [];
    if (this.provider === "vapi" && agentIds.length > 1) {
      throw new Error("fake vapi: a number holds at most one assistant");
    }
    const seq = this.store.nextSeq();
    const createdAt = number.createdAt ? Date.parse(number.createdAt) : BASE_TIME + seq * 1000;
    const outbound = this.provider === "retell" ? (number.outboundAgentIds ?? agentIds) : [];
    this.store.putNumber({
      e164,
      id: this.provider === "vapi" ? (number.id ?? this.store.uuid("0e164000")) : e164,
      nickname: number.nickname ?? null,
      inbound: agentIds.length > 0 ? weightsOf(agentIds) : null,
      outbound: outbound.length > 0 ? weightsOf(outbound) : null,
      webhookUrl: number.webhookUrl ?? null,
      fields: { ...number.fields },
      seq,
      createdAt,
      updatedAt: createdAt,
    });
    return this;
  }

  /**
   * Bulk fixtures: agents "Agent 001"… and numbers from the provider's range (+1415555…, +1628555…,
   * +1650555…), `boundRatio` (default 0.5) of them bound round-robin to the new agents. Deterministic;
   * calling again continues both sequences.
   */
  seed({ numbers, agents, boundRatio = 0.5 }: SeedCounts): this {
    const newAgents: string[] = [];
    for (let i = 0; i < agents; i++) {
      const n = ++this.seededAgents;
      const id = seedAgentId(this.provider, n);
      this.addAgent({ id, name: `Agent ${String(n).padStart(3, "0")}` });
      newAgents.push(id);
    }
    const pool =
      newAgents.length > 0
        ? newAgents
        : [...this.store.agents.values()].filter((a) => a.active).map((a) => a.id);
    let bound = 0;
    for (let i = 0; i < numbers; i++) {
      const n = this.seededNumbers++;
      const bind = pool.length > 0 && Math.floor((i + 1) * boundRatio) > Math.floor(i * boundRatio);
      this.addNumber({
        e164: `+${SEED_NUMBER_BASE[this.provider] + n}`,
        nickname: `Line ${String(n + 1).padStart(4, "0")}`,
        agentIds: bind ? [pool[bound++ % pool.length]!] : [],
      });
    }
    return this;
  }

  /** Vapi addresses numbers by uuid, the others by E.164. */
  refOf(e164: string): NumberRef {
    return { providerNumberId: this.number(e164).id, e164 };
  }

  /** The current inbound binding (what the provider routes calls to), ignoring `onRead` overrides. */
  agentIdsOf(e164: string): string[] {
    return idsOf(this.number(e164).inbound);
  }

  /** Retell's `outbound_agents`; empty for the others. */
  outboundAgentIdsOf(e164: string): string[] {
    return idsOf(this.number(e164).outbound);
  }

  /** Provider-native extra fields of a number as they stand (Vapi `squadId`, Bland `pathway_id`…). */
  fieldsOf(e164: string): Record<string, unknown> {
    return { ...this.number(e164).fields };
  }

  /** Rebind "behind Switchboard's back" (dashboard edit). Retell's outbound list changes only if given. */
  setBinding(e164: string, agentIds: string[], options: { outbound?: string[] } = {}): void {
    if (this.provider === "vapi" && agentIds.length > 1) throw new Error("fake vapi: at most one assistant");
    const n = this.number(e164);
    n.inbound = agentIds.length > 0 ? weightsOf(agentIds) : null;
    if (options.outbound && this.provider === "retell") {
      n.outbound = options.outbound.length > 0 ? weightsOf(options.outbound) : null;
    }
    n.updatedAt = Date.now();
  }

  /** Bland: a migration split on a pathway (`v2_percentage` % of its traffic to a v2 agent); null removes it. */
  setMigrationSplit(pathwayId: string, split: { agentId: string; percentage: number } | null): this {
    if (split === null) this.store.splits.delete(pathwayId);
    else
      this.store.splits.set(pathwayId, {
        agent_id: split.agentId,
        v2_percentage: split.percentage,
        request_policy: "honor",
      });
    return this;
  }

  /**
   * Vapi: the order every list answers in: `GET /phone-number` and `GET /assistant` (newest first by
   * default), and `/v2/phone-number` whatever its `sortOrder` asks once this is called.
   */
  setListOrder(order: "newest" | "oldest"): this {
    this.store.listOrder = order;
    this.store.forcedOrder = order;
    return this;
  }

  /** Bland: the account `status` `/v1/me` reports ("active" by default). */
  setAccountStatus(status: string): this {
    this.store.accountStatus = status;
    return this;
  }

  removeNumber(e164: string): void {
    this.number(e164);
    this.store.deleteNumber(this.key(e164));
  }

  /**
   * Deletes the agent outright. Retell and Vapi numbers keep pointing at it (a dangling binding);
   * Bland's binding lives on the persona, so its numbers lose it.
   */
  removeAgent(id: string): void {
    if (!this.store.agents.delete(id)) throw new Error(`fake ${this.provider}: no agent ${id}`);
    if (this.provider !== "bland") return;
    for (const n of this.store.numbers.values()) {
      const ids = idsOf(n.inbound).filter((x) => x !== id);
      n.inbound = ids.length > 0 ? weightsOf(ids) : null;
    }
  }

  setAgent(id: string, patch: Partial<Omit<FakeAgent, "id">>): void {
    const agent = this.store.agents.get(id);
    if (!agent) throw new Error(`fake ${this.provider}: no agent ${id}`);
    const { version, ...rest } = patch;
    Object.assign(agent, rest, version === undefined ? {} : { version }, { updatedAt: Date.now() });
  }

  // ── inspection ────────────────────────────────────────────────────────────

  /** Requests with this method whose path starts with `pathPrefix` (`+` literal). */
  requestsTo(method: string, pathPrefix: string): RecordedRequest[] {
    const m = method.toUpperCase();
    return this.requests.filter((r) => r.method === m && r.path.startsWith(pathPrefix));
  }

  /** Binding-changing requests received, including ones answered by an injected fault (see `status`). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.write);
  }

  // ── faults and read-back tricks ───────────────────────────────────────────

  /** Queue a fault for the next matching request(s); faults are consumed in the order queued. */
  failNext(match: FaultMatch, reply: FaultReply): this {
    const remaining = reply.times ?? 1;
    if (remaining > 0) this.faults.push({ match, reply, remaining });
    return this;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /**
   * The next read of this number (get-one or a list page; for Bland the next persona scan) shows
   * `agentIds` (null = unbound) instead of the real binding. With `afterWrite`, only reads after the
   * next binding write to the number are affected: "the provider accepted the write but reads back
   * something else".
   */
  onRead(e164: string, agentIds: string[] | null, options: OnReadOptions = {}): this {
    this.number(e164);
    this.store.addOverride(this.key(e164), agentIds, options.afterWrite ?? false, options.times ?? 1);
    return this;
  }

  /** Script the next call created (FIFO): native status snapshots, an outcome, or a creation failure. */
  scriptCall(script: CallScript): this {
    this.store.callScripts.push(script);
    return this;
  }

  // ── the API ───────────────────────────────────────────────────────────────

  handle(input: FakeRequest): FakeResponse {
    const req = normalize(input);
    const route = this.routes.route(req, this.store);
    const record: RecordedRequest = {
      provider: this.provider,
      method: req.method,
      path: req.path,
      query: req.query,
      body: req.body,
      headers: req.headers,
      write: route?.write ?? false,
      status: 0,
      at: Date.now(),
    };
    this.requests.push(record);
    const fault = this.takeFault(req, record.write);
    if (fault) record.fault = faultLabel(fault);
    let response: FakeResponse;
    try {
      response = this.respond(req, route, fault);
    } catch (error) {
      // A harness bug or a bad fixture: answer something the test output will show.
      response = json(500, { message: `fake ${this.provider} crashed: ${String(error)}` });
    }
    record.status = response.networkError ? 0 : response.status;
    return response;
  }

  /** Whether this account's key is the one the request carries. */
  accepts(headers: Record<string, string>): boolean {
    return this.routes.authorized(lowerKeys(headers), this.apiKey);
  }

  private respond(req: NormalizedRequest, route: Route | null, fault: FaultReply | undefined): FakeResponse {
    if (fault && "networkError" in fault) {
      const code = fault.networkError === true ? "ECONNRESET" : fault.networkError;
      return {
        status: 0,
        body: undefined,
        networkError: code,
        ...(fault.delayMs ? { delayMs: fault.delayMs } : {}),
      };
    }
    if (fault && "malformedJson" in fault) {
      return { ...json(fault.status ?? 200, undefined), raw: '{"items": [{"broken": ' };
    }
    if (fault && "status" in fault) {
      const body = fault.body === undefined ? this.routes.error(fault.status) : fault.body;
      return {
        ...json(fault.status, body, fault.headers),
        ...(fault.delayMs ? { delayMs: fault.delayMs } : {}),
      };
    }
    if (!this.routes.authorized(req.headers, this.apiKey)) return json(401, this.routes.error(401));
    if (!route) return json(404, this.routes.error(404));
    const reply = route.run();
    const response = json(reply.status, reply.body, reply.headers);
    if (fault && "afterWrite" in fault) return { ...response, networkError: "ECONNRESET" };
    if (fault && "delayMs" in fault) return { ...response, delayMs: fault.delayMs };
    if (fault && "holdUntil" in fault) return { ...response, holdUntil: fault.holdUntil };
    return response;
  }

  private takeFault(req: NormalizedRequest, write: boolean): FaultReply | undefined {
    const i = this.faults.findIndex(({ match, reply }) => {
      if ("afterWrite" in reply && !write) return false;
      if (match.method && match.method.toUpperCase() !== req.method) return false;
      if (match.path === undefined) return true;
      return typeof match.path === "string" ? req.path.startsWith(match.path) : match.path.test(req.path);
    });
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    if (--fault.remaining <= 0) this.faults.splice(i, 1);
    return fault.reply;
  }

  private key(e164: string): string {
    return this.provider === "bland" ? blandE164(e164) : e164;
  }

  private number(e164: string): NumberState {
    return this.store.requireNumber(this.key(e164));
  }
}

function faultLabel(fault: FaultReply): string {
  if ("malformedJson" in fault) return "malformedJson";
  if ("status" in fault) return `status ${fault.status}`;
  if ("networkError" in fault) return "networkError";
  if ("afterWrite" in fault) return `afterWrite ${fault.afterWrite}`;
  if ("holdUntil" in fault) return "held";
  return `delay ${fault.delayMs}ms`;
}

function json(status: number, body: unknown, headers?: Record<string, string>): FakeResponse {
  return { status, body, headers: { "content-type": "application/json", ...headers } };
}

function lowerKeys(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function normalize(input: FakeRequest): NormalizedRequest {
  const [rawPath = "/", search] = input.path.split("?", 2);
  const query = { ...Object.fromEntries(new URLSearchParams(search ?? "")), ...input.query };
  const segments = rawPath
    .split("/")
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return {
    method: input.method.toUpperCase(),
    path: rawPath,
    segments,
    query,
    body: input.body === "" ? undefined : input.body,
    headers: lowerKeys(input.headers),
  };
}
