// Public shapes of the fake provider accounts (see ../fakeProviders.ts for the entry point).
import type { ProviderName } from "../../../src/providers/types";

export type { ProviderName };

export interface FakeAgent {
  id: string;
  name: string;
  /** Retell: a published version exists; Bland: a production version; Vapi: `latestVersion` set. Default true. */
  published?: boolean;
  /**
   * Default true. False means deleted at the provider: Retell still lists it but its versions answer 422
   * (the list/delete race), Vapi leaves it out of lists, Bland lists it with `deleted_at`.
   */
  active?: boolean;
  /** Retell published version number, Vapi `latestVersion` label, Bland production version id. */
  version?: string;
  /** Retell only: agents are voice or chat; `/v2/list-agents` filters on it. Default "voice". */
  channel?: "voice" | "chat";
  /**
   * Bland only: a v2 agent (`/v2/agents`) or a persona (`/v1/personas`, the default). For an agent,
   * `published` means its production environment pins a version.
   */
  kind?: "agent" | "persona";
  /** Creation time (ISO); default: a distinct second per fixture. Vapi lists filter and sort on it. */
  createdAt?: string;
  /** Bland agents only: at least one saved version exists (attach refuses an agent without). Default true. */
  hasVersions?: boolean;
}

export interface FakeNumber {
  e164: string;
  /** Vapi's uuid for the number; generated (deterministically) when absent. Others use the E.164. */
  id?: string;
  nickname?: string;
  /** Inbound binding. Several = weighted split with equal weights (Retell), or several personas (Bland). */
  agentIds?: string[];
  /** Retell only: `outbound_agents`; defaults to `agentIds`. */
  outboundAgentIds?: string[];
  /** Retell `inbound_webhook_url`, Vapi `server.url`, Bland `webhook`. */
  webhookUrl?: string;
  /** Creation time (ISO); default: a distinct second per fixture. */
  createdAt?: string;
  /** Extra provider-native fields merged into the number as read (Vapi `squadId`, Bland `pathway_id`…). */
  fields?: Record<string, unknown>;
}

/** What `handle` takes: one HTTP request, already parsed. `path` is raw (no query), e.g. `/get-phone-number/+14155550123`. */
export interface FakeRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeResponse {
  status: number;
  /** JSON body (ignored when `raw` is set). */
  body: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (or before failing the connection). */
  delayMs?: number;
  /** Wait until this settles before answering (a test releases it when it has seen enough). */
  holdUntil?: Promise<unknown>;
  /** Send this text verbatim instead of JSON (malformed bodies). */
  raw?: string;
  /** Fail the connection instead of answering, with this error code (e.g. "ECONNRESET"). */
  networkError?: string;
}

export interface RecordedRequest {
  provider: ProviderName;
  method: string;
  /** Raw path without the query string (`+` stays literal). */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** A request that changes a binding (Retell/Vapi number PATCH, Bland attach/detach/inbound update). */
  write: boolean;
  /** Status answered; 0 when the connection was failed on purpose. */
  status: number;
  /** Set when an injected fault (`failNext`) answered or altered this request. */
  fault?: string;
  /** Date.now() on arrival. */
  at: number;
}

export interface FaultMatch {
  method?: string;
  /** A string matches as a path prefix; a RegExp is tested against the raw path. */
  path?: string | RegExp;
}

export type FaultReply =
  /** Answer this status; `body` defaults to the provider's error body for that status. */
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number; times?: number }
  /** Drop the connection (code defaults to ECONNRESET) without touching state. */
  | { networkError: true | string; delayMs?: number; times?: number }
  /** Answer a 2xx (default 200) whose body is not JSON. */
  | { malformedJson: true; status?: number; times?: number }
  /** Wait, then answer normally (state changes still happen, as at a slow provider): for timeouts. */
  | { delayMs: number; times?: number }
  /** Hold the request until the test settles this promise, then answer normally. */
  | { holdUntil: Promise<unknown>; times?: number }
  /** Only for binding writes: apply the write, then drop the connection so the client never hears back. */
  | { afterWrite: "lose"; times?: number };

/** Provider-native call snapshot, merged over the call's base fields on each GET. */
export type CallSnapshot = Record<string, unknown>;

export type CallOutcome = "answered" | "no_answer" | "busy" | "failed";

export type CallScript =
  /** Each GET of the call returns the next snapshot; the last one repeats. */
  | { statuses: CallSnapshot[] }
  /** A provider-native sequence for this outcome (default "answered", 42 s). */
  | { outcome: CallOutcome; durationSec?: number }
  /** Call creation fails with this status and the provider's error body (or `body`). */
  | { reject: { status: number; message?: string; body?: unknown } };

export interface FakeCall {
  id: string;
  from: string;
  to: string;
  agentId: string;
  /** Date.now() at creation. */
  createdAt: number;
  /** Snapshots each GET walks through. */
  statuses: CallSnapshot[];
  /** GETs served so far. */
  reads: number;
  /** The creation request body, verbatim. */
  request: unknown;
}

export interface SeedCounts {
  numbers: number;
  agents: number;
  /** Share of seeded numbers bound to a seeded agent, spread evenly (default 0.5). */
  boundRatio?: number;
}

export interface OnReadOptions {
  /** Wait for the next binding write to that number before taking effect (read-after-write checks). */
  afterWrite?: boolean;
  /** How many reads show the override (default 1). */
  times?: number;
}
