// The in-memory state of one fake account, shared by the per-provider route tables. Internal.
import type { CallScript, FakeCall, ProviderName } from "./types";

/** Fixture timestamps: item n is created at BASE_TIME + n seconds, so Vapi's createdAt paging has distinct keys. */
export const BASE_TIME = Date.parse("2026-01-01T00:00:00.000Z");

export interface Weighted {
  agentId: string;
  weight: number;
  /** Retell `agent_version` as written (integer or "latest_published"…). */
  version: string | number;
}

export interface NumberState {
  e164: string;
  id: string;
  nickname: string | null;
  inbound: Weighted[] | null;
  /** Retell only. */
  outbound: Weighted[] | null;
  webhookUrl: string | null;
  fields: Record<string, unknown>;
  seq: number;
  createdAt: number;
  updatedAt: number;
}

export interface AgentState {
  id: string;
  name: string;
  published: boolean;
  active: boolean;
  version: string | null;
  channel: "voice" | "chat";
  /** Bland: v2 agent or persona; "persona" elsewhere (unused). */
  kind: "agent" | "persona";
  hasVersions: boolean;
  seq: number;
  createdAt: number;
  updatedAt: number;
}

interface ReadOverride {
  e164: string;
  agentIds: string[] | null;
  armed: boolean;
  remaining: number;
}

export interface NormalizedRequest {
  method: string;
  /** Raw path without query. */
  path: string;
  /** Path segments, percent-decoded (`+` stays `+`). */
  segments: string[];
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string>;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  /** Changes a binding (counted by `writes()`, eligible for `afterWrite` faults). */
  write: boolean;
  run(): Reply;
}

export interface ProviderRoutes {
  authorized(headers: Record<string, string>, apiKey: string): boolean;
  /** The provider's error body for a status, with a default message when none is given. */
  error(status: number, message?: string): unknown;
  route(req: NormalizedRequest, store: Store): Route | null;
}

export const weightsOf = (ids: string[]): Weighted[] =>
  ids.map((agentId) => ({ agentId, weight: 1 / ids.length, version: "latest_published" }));

export const idsOf = (list: Weighted[] | null): string[] => (list ?? []).map((w) => w.agentId);

export class Store {
  readonly numbers = new Map<string, NumberState>();
  readonly agents = new Map<string, AgentState>();
  readonly calls = new Map<string, FakeCall>();
  /** Consumed by call creations, in order. */
  readonly callScripts: CallScript[] = [];
  /** Bland: v2 agent id → the persona Bland created on its first attach (kept for good). */
  readonly backing = new Map<string, string>();
  /** Bland: pathway id → its migration split. */
  readonly splits = new Map<string, { agent_id: string; v2_percentage: number; request_policy: string }>();
  /** Vapi: the order `GET /phone-number` and `GET /assistant` answer in (undocumented; newest first by default). */
  listOrder: "newest" | "oldest" = "newest";
  /** Vapi: set by `setListOrder`: `/v2/phone-number` then answers in that order whatever `sortOrder` asks. */
  forcedOrder: "newest" | "oldest" | undefined;
  /** Bland: what `/v1/me` reports as `status`. */
  accountStatus = "active";
  private readonly overrides: ReadOverride[] = [];
  /** Bland: overrides taken at page 1 of a persona scan stay in force until its last page. */
  private scanView: Map<string, string[] | null> | null = null;
  private readonly idIndex = new Map<string, string>();
  private seq = 0;
  private ids = 0;

  constructor(readonly provider: ProviderName) {}

  nextSeq(): number {
    return ++this.seq;
  }

  /** A deterministic uuid-shaped id; `prefix` is 8 hex digits naming the kind. */
  uuid(prefix: string): string {
    return `${prefix}-0000-4000-8000-${String(++this.ids).padStart(12, "0")}`;
  }

  number(e164: string): NumberState | undefined {
    return this.numbers.get(e164);
  }

  numberById(id: string): NumberState | undefined {
    const e164 = this.idIndex.get(id);
    return e164 === undefined ? undefined : this.numbers.get(e164);
  }

  putNumber(n: NumberState): void {
    this.numbers.set(n.e164, n);
    this.idIndex.set(n.id, n.e164);
  }

  deleteNumber(e164: string): void {
    const n = this.numbers.get(e164);
    if (n) this.idIndex.delete(n.id);
    this.numbers.delete(e164);
  }

  /** The agent, if it exists and is not deleted. */
  liveAgent(id: string): AgentState | undefined {
    const agent = this.agents.get(id);
    return agent?.active ? agent : undefined;
  }

  requireNumber(e164: string): NumberState {
    const n = this.numbers.get(e164);
    if (!n) throw new Error(`fake ${this.provider} account has no number ${e164}`);
    return n;
  }

  addOverride(e164: string, agentIds: string[] | null, afterWrite: boolean, times: number): void {
    this.overrides.push({ e164, agentIds, armed: !afterWrite, remaining: times });
  }

  /** A binding write reached this number: arm the overrides waiting for one. */
  noteWrite(e164: string): void {
    for (const o of this.overrides) if (o.e164 === e164) o.armed = true;
  }

  /** The inbound agent ids a read shows: an armed override (consumed) or the real binding. */
  readInbound(n: NumberState): { overridden: boolean; ids: string[] | null } {
    const view = this.scanView;
    if (view?.has(n.e164)) return { overridden: true, ids: view.get(n.e164) ?? null };
    const i = this.overrides.findIndex((o) => o.e164 === n.e164 && o.armed);
    if (i < 0) return { overridden: false, ids: n.inbound ? idsOf(n.inbound) : null };
    const o = this.overrides[i]!;
    if (--o.remaining <= 0) this.overrides.splice(i, 1);
    return { overridden: true, ids: o.agentIds };
  }

  /** Bland persona scans: take every armed override at page 1, keep them until the last page. */
  beginScan(): void {
    this.scanView = null;
    const view = new Map<string, string[] | null>();
    for (const n of this.numbers.values()) {
      const read = this.readInbound(n);
      if (read.overridden) view.set(n.e164, read.ids);
    }
    this.scanView = view;
  }

  endScan(): void {
    this.scanView = null;
  }

  /** Bland: the personas holding each number as a scan sees it. */
  holders(n: NumberState): string[] {
    const view = this.scanView;
    if (view?.has(n.e164)) return view.get(n.e164) ?? [];
    return idsOf(n.inbound);
  }
}

/** Iso string of an epoch-ms time. */
export const iso = (ms: number) => new Date(ms).toISOString();

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const E164 = /^\+[1-9]\d{6,14}$/;

export interface RouteSpec {
  method: string;
  /** Segments; `:x` captures one (percent-decoded). */
  pattern: string;
  write?: boolean;
  run(params: string[], req: NormalizedRequest, store: Store): Reply;
}

/** First spec whose method and pattern match, bound to the request. */
export function tableRouter(specs: RouteSpec[]): ProviderRoutes["route"] {
  const compiled = specs.map((spec) => ({ spec, parts: spec.pattern.split("/").filter(Boolean) }));
  return (req, store) => {
    for (const { spec, parts } of compiled) {
      if (spec.method !== req.method || parts.length !== req.segments.length) continue;
      const params: string[] = [];
      const hit = parts.every((part, i) => {
        const segment = req.segments[i]!;
        if (part.startsWith(":")) return params.push(segment) > 0;
        return part === segment;
      });
      if (hit) return { write: spec.write ?? false, run: () => spec.run(params, req, store) };
    }
    return null;
  };
}
