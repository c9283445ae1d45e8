import { z } from "zod";
import { nullIfNotFound } from "./errors";
import { createProviderHttp, type ProviderClientOptions, pathSegment } from "./http";
import { compactRouting } from "./routing";
import type { NumberRef, ProviderAgent, ProviderCall, ProviderNumber, VoiceProvider } from "./types";

export const BLAND_BASE_URL = "https://api.bland.ai";

/** The maximum page size of `GET /v1/personas`; a shorter page is the last one. */
const PERSONA_PAGE = 100;

const personaSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  deleted_at: z.string().nullish(),
  current_production_version_id: z.string().nullish(),
  inbound_numbers: z.array(z.object({ phone_number: z.string() })).nullish(),
});
type Persona = z.infer<typeof personaSchema>;

const inboundSchema = z.object({
  phone_number: z.string(),
  pathway_id: z.string().nullish(),
  prompt: z.string().nullish(),
});

const personaEnvelope = z.object({ data: z.object({ id: z.string() }) });

const callSchema = z.object({
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

export function createBlandProvider(options: ProviderClientOptions): VoiceProvider {
  const { apiKey, baseURL = BLAND_BASE_URL, ...policy } = options;
  const http = createProviderHttp({
    ...policy,
    provider: "bland",
    baseURL,
    // Bland takes the raw key; a "Bearer " prefix is rejected.
    headers: { Authorization: apiKey },
    errorsInOkBody: true,
  });

  async function listPersonas(operation: string): Promise<Persona[]> {
    const personas: Persona[] = [];
    for (let page = 1; ; page++) {
      const { data } = await http.request(
        operation,
        { method: "GET", url: "/v1/personas", params: { page, limit: PERSONA_PAGE } },
        z.object({ data: z.array(personaSchema) }),
      );
      personas.push(...data);
      if (data.length < PERSONA_PAGE) return personas;
    }
  }

  /** Live personas holding each number; deleted personas no longer answer, so they hold nothing. */
  async function personasByNumber(): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    for (const persona of await listPersonas("list personas")) {
      if (persona.deleted_at != null) continue;
      for (const { phone_number } of persona.inbound_numbers ?? []) {
        map.set(phone_number, [...(map.get(phone_number) ?? []), persona.id]);
      }
    }
    return map;
  }

  const moveNumber = async (direction: "attach" | "detach", personaId: string, e164: string) => {
    await http.request(
      `${direction} number`,
      {
        method: "POST",
        url: `/v1/personas/${pathSegment(personaId)}/inbound/${direction}`,
        data: { inbound_numbers: [e164] },
      },
      personaEnvelope,
      // Attaching or detaching a number twice leaves the same state.
      { subject: `${e164} or persona ${personaId}`, idempotent: true },
    );
  };

  const detachAll = async (ref: NumberRef, personaIds: string[]) => {
    for (const personaId of personaIds) await moveNumber("detach", personaId, ref.e164);
  };

  return {
    name: "bland",

    async listNumbers() {
      const [inbound, personas] = await Promise.all([
        http.request(
          "list numbers",
          { method: "GET", url: "/v1/inbound" },
          z.object({ inbound_numbers: z.array(inboundSchema) }),
        ),
        personasByNumber(),
      ]);
      return inbound.inbound_numbers.map((n) => toNumber(n, personas.get(n.phone_number) ?? []));
    },

    async listAgents() {
      return (await listPersonas("list agents")).map(toAgent);
    },

    async getAgent(personaId) {
      const { data } = await http.request(
        "get agent",
        { method: "GET", url: `/v1/personas/${pathSegment(personaId)}` },
        z.object({ data: personaSchema }),
        { subject: `persona ${personaId}` },
      );
      return toAgent(data);
    },

    findNumber(e164) {
      return nullIfNotFound(this.getNumber({ providerNumberId: e164, e164 }));
    },

    async getNumber(ref) {
      const [n, personas] = await Promise.all([
        http.request(
          "get number",
          { method: "GET", url: `/v1/inbound/${pathSegment(ref.e164)}` },
          inboundSchema,
          { subject: ref.e164 },
        ),
        personasByNumber(),
      ]);
      return toNumber(n, personas.get(n.phone_number) ?? []);
    },

    async bind(ref, providerAgentId) {
      const current = (await personasByNumber()).get(ref.e164) ?? [];
      // Attaching a number another persona holds is undocumented, so free it first.
      await detachAll(
        ref,
        current.filter((id) => id !== providerAgentId),
      );
      if (!current.includes(providerAgentId)) await moveNumber("attach", providerAgentId, ref.e164);
    },

    async unbind(ref) {
      await detachAll(ref, (await personasByNumber()).get(ref.e164) ?? []);
    },

    async checkKey() {
      await http.request("check key", { method: "GET", url: "/v1/me" }, z.object({ status: z.string() }));
    },

    async placeCall({ from, to, providerAgentId }) {
      const call = await http.request(
        "place call",
        {
          method: "POST",
          url: "/v1/calls",
          data: { phone_number: to, from: from.e164, persona_id: providerAgentId },
        },
        z.object({ call_id: z.string() }),
        { subject: `${from.e164} or persona ${providerAgentId}` },
      );
      return { callId: call.call_id };
    },

    async getCall(callId) {
      const call = await http.request(
        "get call",
        { method: "GET", url: `/v1/calls/${pathSegment(callId)}` },
        callSchema,
        { subject: `call ${callId}` },
      );
      return toCall(callId, call);
    },
  };
}

function toNumber(n: z.infer<typeof inboundSchema>, personaIds: string[]): ProviderNumber {
  return {
    providerNumberId: n.phone_number,
    e164: n.phone_number,
    nickname: null,
    inboundAgentIds: personaIds,
    outboundAgentIds: [],
    otherRouting: compactRouting({
      pathwayId: n.pathway_id ?? undefined,
      inlinePrompt: !!n.prompt?.trim(),
    }),
  };
}

/** Bland has no single end-reason field; `completed` wins over `queue_status` when they disagree. */
function toCall(callId: string, call: z.infer<typeof callSchema>): ProviderCall {
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

function toAgent(p: Persona): ProviderAgent {
  return {
    providerAgentId: p.id,
    name: p.name || p.id,
    published: p.current_production_version_id != null,
    active: p.deleted_at == null,
    version: p.current_production_version_id ?? null,
  };
}
