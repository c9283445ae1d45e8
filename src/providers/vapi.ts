import { z } from "zod";
import { createProviderHttp, type ProviderClientOptions, type ProviderHttp, pathSegment } from "./http";
import { compactRouting, isE164 } from "./routing";
import type { CallStatus, ProviderCall, ProviderNumber, VoiceProvider } from "./types";

export const VAPI_BASE_URL = "https://api.vapi.ai";

/** Vapi's list endpoints return at most this many items and no cursor. */
const PAGE_LIMIT = 1000;

const phoneNumberSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  number: z.string().nullish(),
  name: z.string().nullish(),
  assistantId: z.string().nullish(),
  squadId: z.string().nullish(),
  workflowId: z.string().nullish(),
  server: z.object({ url: z.string().nullish() }).nullish(),
  fallbackDestination: z
    .object({ type: z.string().nullish(), number: z.string().nullish(), sipUri: z.string().nullish() })
    .nullish(),
});

const assistantSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string().nullish(),
  latestVersion: z.string().nullish(),
});

const callSchema = z.object({
  id: z.string(),
  status: z.enum([
    "scheduled",
    "queued",
    "ringing",
    "in-progress",
    "forwarding",
    "ended",
    "not-found",
    "deletion-failed",
  ]),
  endedReason: z.string().nullish(),
  startedAt: z.string().nullish(),
  endedAt: z.string().nullish(),
});

const callStatusMap: Record<z.infer<typeof callSchema>["status"], CallStatus> = {
  scheduled: "queued",
  queued: "queued",
  ringing: "ringing",
  "in-progress": "in_progress",
  forwarding: "in_progress",
  ended: "ended",
  "not-found": "ended",
  "deletion-failed": "ended",
};

// End reasons for calls that never reached the callee (Vapi's "not reached" and "failed before dialling" groups).
const NOT_REACHED =
  /^call[.-]start[.-]error|assistant-not-found|customer-busy|customer-did-not-answer|failed-to-connect|misdialed|rejected|outbound-sip/;

export function createVapiProvider(options: ProviderClientOptions): VoiceProvider {
  const { apiKey, baseURL = VAPI_BASE_URL, ...policy } = options;
  const http = createProviderHttp({
    ...policy,
    provider: "vapi",
    baseURL,
    headers: { Authorization: `Bearer ${apiKey}` },
  });

  const patchNumber = async (operation: string, id: string, body: object, subject: string) => {
    await http.request(
      operation,
      { method: "PATCH", url: `/phone-number/${pathSegment(id)}`, data: body },
      z.object({ id: z.string() }),
      { subject },
    );
  };

  return {
    name: "vapi",

    async listNumbers() {
      const numbers = await listAll(http, "list numbers", "/phone-number", phoneNumberSchema);
      // SIP-only numbers have no E.164 to route.
      return numbers.filter((n) => isE164(n.number)).map((n) => toNumber(n, n.number ?? ""));
    },

    async listAgents() {
      const assistants = await listAll(http, "list agents", "/assistant", assistantSchema);
      return assistants.map((a) => ({
        providerAgentId: a.id,
        name: a.name || a.id,
        // Vapi has no publish flag: inbound calls use the current published version of any assistant that exists.
        published: true,
        active: true,
        version: a.latestVersion ?? null,
      }));
    },

    async getAgent(assistantId) {
      const a = await http.request(
        "get agent",
        { method: "GET", url: `/assistant/${pathSegment(assistantId)}` },
        assistantSchema,
        { subject: `assistant ${assistantId}` },
      );
      return {
        providerAgentId: a.id,
        name: a.name || a.id,
        published: true,
        active: true,
        version: a.latestVersion ?? null,
      };
    },

    async findNumber(e164) {
      // Vapi addresses numbers by UUID only: find the E.164 in the listing.
      return (await this.listNumbers()).find((n) => n.e164 === e164) ?? null;
    },

    async getNumber(ref) {
      const n = await http.request(
        "get number",
        { method: "GET", url: `/phone-number/${pathSegment(ref.providerNumberId)}` },
        phoneNumberSchema,
        { subject: ref.e164 || ref.providerNumberId },
      );
      return toNumber(n, n.number ?? ref.e164);
    },

    async bind(ref, providerAgentId) {
      // A squad or workflow would otherwise take precedence over (or conflict with) the assistant.
      const body = { assistantId: providerAgentId, squadId: null, workflowId: null };
      await patchNumber(
        "bind number",
        ref.providerNumberId,
        body,
        `${ref.e164} or assistant ${providerAgentId}`,
      );
    },

    async unbind(ref) {
      await patchNumber("unbind number", ref.providerNumberId, { assistantId: null }, ref.e164);
    },

    async checkKey() {
      await http.request(
        "check key",
        { method: "GET", url: "/assistant", params: { limit: 1 } },
        z.array(z.unknown()),
      );
    },

    async placeCall({ from, to, providerAgentId }) {
      const call = await http.request(
        "place call",
        {
          method: "POST",
          url: "/call",
          data: {
            phoneNumberId: from.providerNumberId,
            assistantId: providerAgentId,
            customer: { number: to },
          },
        },
        z.object({ id: z.string() }),
        { subject: `${from.e164} or assistant ${providerAgentId}` },
      );
      return { callId: call.id };
    },

    async getCall(callId) {
      const call = await http.request(
        "get call",
        { method: "GET", url: `/call/${pathSegment(callId)}` },
        callSchema,
        { subject: `call ${callId}` },
      );
      return toCall(call);
    },
  };
}

function toNumber(n: z.infer<typeof phoneNumberSchema>, e164: string): ProviderNumber {
  const fallback = n.fallbackDestination;
  return {
    providerNumberId: n.id,
    e164,
    nickname: n.name ?? null,
    inboundAgentIds: n.assistantId ? [n.assistantId] : [],
    outboundAgentIds: [],
    otherRouting: compactRouting({
      squadId: n.squadId ?? undefined,
      workflowId: n.workflowId ?? undefined,
      serverUrl: n.server?.url ?? undefined,
      fallbackDestination: fallback
        ? (fallback.number ?? fallback.sipUri ?? fallback.type ?? "set")
        : undefined,
    }),
  };
}

function toCall(call: z.infer<typeof callSchema>): ProviderCall {
  const status = callStatusMap[call.status];
  const reason = call.endedReason ?? null;
  let connected: boolean | null = null;
  if (status === "in_progress") connected = true;
  else if (call.status === "ended") connected = !(reason && NOT_REACHED.test(reason));
  const started = call.startedAt ? Date.parse(call.startedAt) : Number.NaN;
  const ended = call.endedAt ? Date.parse(call.endedAt) : Number.NaN;
  return {
    callId: call.id,
    status,
    connected,
    endReason: status === "ended" ? (reason ?? call.status) : null,
    durationSec: Number.isFinite(ended - started) ? (ended - started) / 1000 : null,
  };
}

/**
 * Vapi lists have no cursor: ask for the maximum and, when a page comes back full, ask again for
 * items created before the oldest one seen. Pages may overlap, so dedupe by id.
 */
async function listAll<T extends { id: string; createdAt: string }>(
  http: ProviderHttp,
  operation: string,
  url: string,
  item: z.ZodType<T>,
): Promise<T[]> {
  const byId = new Map<string, T>();
  let createdAtLt: string | undefined;
  for (;;) {
    const params = createdAtLt ? { limit: PAGE_LIMIT, createdAtLt } : { limit: PAGE_LIMIT };
    const page = await http.request(operation, { method: "GET", url, params }, z.array(item));
    const added = page.filter((x) => !byId.has(x.id)).length;
    for (const x of page) byId.set(x.id, x);
    if (page.length < PAGE_LIMIT || added === 0) return [...byId.values()];
    createdAtLt = page.reduce(
      (oldest, x) => (Date.parse(x.createdAt) < Date.parse(oldest) ? x.createdAt : oldest),
      page[0]!.createdAt,
    );
  }
}
