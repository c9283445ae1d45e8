import { z } from "zod";
import { badResponseError } from "./errors";
import { createProviderHttp, type ProviderClientOptions, type ProviderHttp, pathSegment } from "./http";
import { compactRouting, isE164 } from "./routing";
import type { CallStatus, ProviderAgent, ProviderCall, ProviderNumber, VoiceProvider } from "./types";

export const VAPI_BASE_URL = "https://api.vapi.ai";

/** The most items one list request returns (`limit` ≤ 1000 on `/phone-number`, `/v2/phone-number`, `/assistant`). */
export const VAPI_PAGE_LIMIT = 1000;

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

const pageMetaSchema = z.object({
  currentPage: z.number().nullish(),
  totalItems: z.number().nullish(),
  totalPages: z.number().nullish(),
  hasNextPage: z.boolean().nullish(),
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
      const numbers = await listPaged(http, "list numbers", phoneNumberSchema);
      // SIP-only numbers have no E.164 to route.
      return numbers.filter((n) => isE164(n.number)).map((n) => toNumber(n, n.number ?? ""));
    },

    async listAgents() {
      const assistants = await listByCreatedAt(http, "list agents", "/assistant", assistantSchema);
      return assistants.map(toAgent);
    },

    async getAgent(assistantId) {
      const a = await http.request(
        "get agent",
        { method: "GET", url: `/assistant/${pathSegment(assistantId)}` },
        assistantSchema,
        { subject: `assistant ${assistantId}` },
      );
      return toAgent(a);
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

    async bind(ref, { providerAgentId }) {
      await patchNumber(
        "bind number",
        ref.providerNumberId,
        vapiBindBody(providerAgentId),
        `${ref.e164} or assistant ${providerAgentId}`,
      );
    },

    async unbind(ref) {
      await patchNumber("unbind number", ref.providerNumberId, vapiUnbindBody(), ref.e164);
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
          data: vapiCallBody(from.providerNumberId, providerAgentId, to),
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

/** `PATCH /phone-number/{id}`: a squad or workflow would otherwise take precedence over (or conflict with) the assistant. */
export function vapiBindBody(assistantId: string) {
  return { assistantId, squadId: null, workflowId: null };
}

/** `PATCH /phone-number/{id}` leaving the number with no assistant (`null`, as Vapi's guides do; the SDK types omit null). */
export function vapiUnbindBody() {
  return { assistantId: null };
}

/** `POST /call`: the number's uuid, the assistant (a number's own assistantId is for inbound only), the callee. */
export function vapiCallBody(phoneNumberId: string, assistantId: string, to: string) {
  return { phoneNumberId, assistantId, customer: { number: to } };
}

/** Query of one `GET /v2/phone-number` page. */
export function vapiNumberPageQuery(page: number) {
  return { page, limit: VAPI_PAGE_LIMIT, sortBy: "createdAt" as const, sortOrder: "ASC" as const };
}

function toAgent(a: z.infer<typeof assistantSchema>): ProviderAgent {
  return {
    providerAgentId: a.id,
    kind: "assistant",
    name: a.name || a.id,
    // Vapi has no publish flag: inbound calls use the current published version of any assistant that exists.
    published: true,
    active: true,
    version: a.latestVersion ?? null,
  };
}

/**
 * Numbers through the documented paged endpoint (`GET /v2/phone-number`): `page` from 1 until
 * `hasNextPage` is false (or, without it, `currentPage` reaches `totalPages`, or a page is short).
 * Offset pages over rows sharing a `createdAt` could skip or repeat one if Vapi's order among them is
 * not stable, so the result is deduped by id and checked against `totalItems`: a shortfall fails
 * the listing (nothing is marked gone) instead of passing as complete.
 */
async function listPaged<T extends { id: string }>(
  http: ProviderHttp,
  operation: string,
  item: z.ZodType<T>,
): Promise<T[]> {
  const byId = new Map<string, T>();
  let total: number | undefined;
  for (let page = 1; ; page++) {
    const body = await http.request(
      operation,
      { method: "GET", url: "/v2/phone-number", params: vapiNumberPageQuery(page) },
      z.object({ results: z.array(item), metadata: pageMetaSchema }),
    );
    for (const x of body.results) byId.set(x.id, x);
    const meta = body.metadata;
    total = meta.totalItems ?? total;
    const more =
      meta.hasNextPage ??
      (meta.totalPages != null
        ? (meta.currentPage ?? page) < meta.totalPages
        : body.results.length >= VAPI_PAGE_LIMIT);
    if (!more || body.results.length === 0) break;
    if (page > 100_000)
      throw badResponseError({
        provider: "vapi",
        operation,
        field: "metadata.hasNextPage",
        problem: "never turns false",
      });
  }
  if (total !== undefined && byId.size < total) {
    throw badResponseError({
      provider: "vapi",
      operation,
      field: "metadata.totalItems",
      problem: `says ${total} numbers but the pages held ${byId.size} distinct ones; try the sync again`,
    });
  }
  return [...byId.values()];
}

type Bound = { op: "Gt" | "Ge"; at: string } | { op: "Lt" | "Le"; at: string };
interface Range {
  lower?: Extract<Bound, { op: "Gt" | "Ge" }>;
  upper?: Extract<Bound, { op: "Lt" | "Le" }>;
}

const rangeParams = (r: Range) => ({
  ...(r.lower ? { [`createdAt${r.lower.op}`]: r.lower.at } : {}),
  ...(r.upper ? { [`createdAt${r.upper.op}`]: r.upper.at } : {}),
});

/**
 * Lists without a cursor (`GET /assistant` has no paged variant): ask for the most a page holds
 * within a `createdAt` range; a short page means the range is complete. A full page is split: when
 * it is sorted newest first, everything newer than its oldest `createdAt` was in it, so the rest is
 * `createdAtLe` that time (inclusive, so ties at the boundary are read again and deduped by id);
 * oldest first, the mirror image with `createdAtGe`. A full page sharing one `createdAt` is read
 * as exactly that instant; if that too is full, more than a page's worth share one timestamp, no
 * filter can tell them apart, and the listing fails rather than passing as complete. Every step
 * shrinks the range by at least one distinct timestamp, so the walk ends.
 */
export async function listByCreatedAt<T extends { id: string; createdAt: string }>(
  http: ProviderHttp,
  operation: string,
  url: string,
  item: z.ZodType<T>,
): Promise<T[]> {
  const byId = new Map<string, T>();
  const pending: Range[] = [{}];
  const fetch = (params: Record<string, string>) =>
    http.request(
      operation,
      { method: "GET", url, params: { limit: VAPI_PAGE_LIMIT, ...params } },
      z.array(item),
    );
  while (pending.length) {
    const range = pending.pop()!;
    const page = await fetch(rangeParams(range));
    for (const x of page) byId.set(x.id, x);
    if (page.length < VAPI_PAGE_LIMIT) continue;
    const times = page.map((x) => Date.parse(x.createdAt));
    const first = times[0]!;
    const last = times.at(-1)!;
    const oldest = page[times.indexOf(Math.min(...times))]!.createdAt;
    const newest = page[times.indexOf(Math.max(...times))]!.createdAt;
    if (first > last) {
      pending.push({ ...range, upper: { op: "Le", at: oldest } });
    } else if (first < last) {
      pending.push({ ...range, lower: { op: "Ge", at: newest } });
    } else {
      const at = page[0]!.createdAt;
      const instant = await fetch({ createdAtGe: at, createdAtLe: at });
      for (const x of instant) byId.set(x.id, x);
      if (instant.length >= VAPI_PAGE_LIMIT) {
        throw badResponseError({
          provider: "vapi",
          operation,
          field: "createdAt",
          problem: `${VAPI_PAGE_LIMIT} or more items share createdAt ${at}, more than one request can return and no filter can separate; the list cannot be read completely`,
        });
      }
      pending.push({ ...range, upper: { op: "Lt", at } }, { ...range, lower: { op: "Gt", at } });
    }
  }
  return [...byId.values()];
}
