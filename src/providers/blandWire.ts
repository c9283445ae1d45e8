// Bland's wire format: the zod schemas of its answers, the request bodies Switchboard sends, and the
// pure mappers from Bland's records (numbers, calls, personas, v2 agents) to Switchboard's types.
// The client that calls Bland (and keeps what it learns between calls) is bland.ts.
import { z } from "zod";
import { compactRouting } from "./routing";
import type { AgentKind, MigrationSplit, ProviderAgent, ProviderCall, ProviderNumber } from "./types";

export const personaSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  deleted_at: z.string().nullish(),
  current_production_version_id: z.string().nullish(),
  inbound_numbers: z.array(z.object({ phone_number: z.string() })).nullish(),
});
export type Persona = z.infer<typeof personaSchema>;

export const inboundSchema = z.object({
  phone_number: z.string(),
  pathway_id: z.string().nullish(),
  prompt: z.string().nullish(),
});

export const personaEnvelope = z.object({ data: z.object({ id: z.string() }) });

/** `GET /v2/agents` items (docs api-v2/get/agents): the record without its environments. */
export const agentSchema = z.object({ id: z.string(), name: z.string().nullish() });
export type V2Agent = z.infer<typeof agentSchema>;

/** docs api-v2/get/agents-id-environments: `current_version_id` null = unpinned (always null for dev). */
export const environmentSchema = z.object({
  env_type: z.string(),
  current_version_id: z.string().nullish(),
  // The page says each environment carries "the name and semver" of its pinned version; the field
  // names are not shown, so these are read when present and never required.
  current_version_semver: z.string().nullish(),
  semver: z.string().nullish(),
});
export type Environment = z.infer<typeof environmentSchema>;

/** docs api-v2/get/agents-id-inbound: not the numbers, only the persona attached numbers route through. */
export const agentInboundSchema = z.object({
  data: z.object({ persona_id: z.string().nullish() }).nullish(),
});

/** docs api-v1/get/convo-pathway-id-migration-split. */
export const splitSchema = z.object({
  data: z
    .object({
      migration_split: z.object({ agent_id: z.string(), v2_percentage: z.number() }).nullish(),
    })
    .nullish(),
});

export const callSchema = z.object({
  completed: z.boolean().nullish(),
  queue_status: z.string().nullish(),
  status: z.string().nullish(),
  error_message: z.string().nullish(),
  answered_by: z.string().nullish(),
  call_length: z.number().nullish(),
});

// Call outcomes where the callee never picked up (Bland's `status` and `queue_status` values).
const NEVER_CONNECTED_STATUS = new Set(["failed", "busy", "no-answer", "canceled"]);
const NEVER_CONNECTED_QUEUE = new Set(["pre_queue_error", "queue_error"]);

/** What holds a number at Bland: a v2 agent or a persona. */
export interface Holder {
  id: string;
  kind: Extract<AgentKind, "agent" | "persona">;
}

export interface Bindings {
  byNumber: Map<string, Holder[]>;
  /** Backing persona id → the v2 agent whose numbers route through it. */
  backing: Map<string, string>;
}

/** The body of every attach/detach, v1 persona and v2 agent alike. */
export function blandInboundNumbersBody(numbers: string[]) {
  return { inbound_numbers: numbers };
}

/** `POST /v1/calls`: a v2 agent is named by `agent_id`, a persona by `persona_id` (docs api-v1/post/calls-agent). */
export function blandCallBody(input: { from: string; to: string; providerAgentId: string; kind: AgentKind }) {
  const agent =
    input.kind === "agent" ? { agent_id: input.providerAgentId } : { persona_id: input.providerAgentId };
  return { phone_number: input.to, from: input.from, ...agent };
}

export function toNumber(
  n: z.infer<typeof inboundSchema>,
  holders: Holder[],
  split: MigrationSplit | null | undefined,
): ProviderNumber {
  return {
    providerNumberId: n.phone_number,
    e164: n.phone_number,
    nickname: null,
    inboundAgentIds: holders.map((h) => h.id),
    outboundAgentIds: [],
    otherRouting: compactRouting({
      pathwayId: n.pathway_id ?? undefined,
      inlinePrompt: !!n.prompt?.trim(),
      migrationSplit: split ?? undefined,
    }),
  };
}

/** Bland has no single end-reason field; `completed` wins over `queue_status` when they disagree. */
export function toCall(callId: string, call: z.infer<typeof callSchema>): ProviderCall {
  const queue = call.queue_status ?? "";
  const queueError = queue.endsWith("_error");
  const ended =
    call.completed === true ||
    queueError ||
    (call.completed == null && (queue === "complete" || queue === "completed"));
  const minutes = call.call_length ?? null;
  if (!ended) {
    const live = queue === "started";
    return {
      callId,
      status: live ? "in_progress" : "queued",
      connected: live ? true : null,
      endReason: null,
      durationSec: null,
    };
  }
  const neverConnected =
    NEVER_CONNECTED_QUEUE.has(queue) ||
    NEVER_CONNECTED_STATUS.has(call.status ?? "") ||
    call.answered_by === "no-answer";
  const connected = neverConnected ? false : (minutes ?? 0) > 0 || call.status === "completed" ? true : null;
  return {
    callId,
    status: "ended",
    connected,
    endReason: call.error_message || (queueError ? queue : null) || call.status || null,
    durationSec: minutes == null ? null : Math.round(minutes * 60_000) / 1000,
  };
}

export function personaOf(p: Persona): ProviderAgent {
  return {
    providerAgentId: p.id,
    kind: "persona",
    name: p.name || p.id,
    published: p.current_production_version_id != null,
    active: p.deleted_at == null,
    version: p.current_production_version_id ?? null,
  };
}

/** "Published and active" for an agent: its `production` environment pins a version. */
export function agentOf(a: V2Agent, envs: Environment[]): ProviderAgent {
  const production = envs.find((e) => e.env_type === "production");
  const pinned = production?.current_version_id ?? null;
  return {
    providerAgentId: a.id,
    kind: "agent",
    name: a.name || a.id,
    published: pinned !== null,
    // `/v2/agents` lists live agents only: one that is listed is active.
    active: true,
    version: pinned ? (production?.current_version_semver ?? production?.semver ?? pinned) : null,
  };
}
