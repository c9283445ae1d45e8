// Vapi's API as the fake serves it (reference: /work/shared/reference/providers.md §2, provider-calls.md §2).
// Response bodies are typed against @vapi-ai/server-sdk's response types, so the fake cannot drift from them.
import type { Vapi } from "@vapi-ai/server-sdk";
import { readCall, recordCall, takeScript } from "./calls";
import { arrayPage, numberedResultsPage } from "./paging";
import {
  type AgentState,
  E164,
  iso,
  isRecord,
  type NumberState,
  type ProviderRoutes,
  type Reply,
  type Store,
  tableRouter,
  weightsOf,
} from "./store";

export const VAPI_ORG_ID = "0a9c0a9c-0000-4000-8000-000000000000";

const NAMES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
const MESSAGES: Record<number, string> = {
  401: "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.",
  429: "Too many requests, please slow down.",
};

/** NestJS-style body: `{message, error, statusCode}` (message may be a list of validation errors). */
const error = (status: number, message?: string | string[]) => ({
  message: message ?? MESSAGES[status] ?? NAMES[status] ?? `HTTP ${status}`,
  error: NAMES[status] ?? "Error",
  statusCode: status,
});
const fail = (status: number, message?: string | string[]): Reply => ({
  status,
  body: error(status, message),
});
const ok = (body: unknown, status = 200): Reply => ({ status, body });

function numberBody(store: Store, n: NumberState, viaRead: boolean) {
  const read = viaRead ? store.readInbound(n) : { overridden: false, ids: null };
  const ids = read.overridden ? read.ids : (n.inbound?.map((w) => w.agentId) ?? null);
  const body = {
    id: n.id,
    orgId: VAPI_ORG_ID,
    provider: "twilio" as const,
    number: n.e164,
    twilioAccountSid: "AC00000000000000000000000000000000",
    name: n.nickname ?? undefined,
    // Absent when unbound: the SDK types it `string | undefined`, not null.
    ...(ids?.[0] ? { assistantId: ids[0] } : {}),
    ...(n.webhookUrl ? { server: { url: n.webhookUrl } } : {}),
    status: "active" as const,
    createdAt: iso(n.createdAt),
    updatedAt: iso(n.updatedAt),
  } satisfies Vapi.PhoneNumberPaginatedResponseResultsItem.Twilio & Vapi.ListPhoneNumbersResponseItem.Twilio;
  return { ...body, ...n.fields };
}

const assistantBody = (a: AgentState) =>
  ({
    id: a.id,
    orgId: VAPI_ORG_ID,
    name: a.name,
    ...(a.published ? { latestVersion: a.version ?? "v1" } : {}),
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  }) satisfies Vapi.Assistant;

function updateNumber(store: Store, n: NumberState, body: unknown): Reply {
  if (!isRecord(body)) return fail(400, ["body must be an object"]);
  if ("assistantId" in body) {
    const id = body.assistantId;
    if (id !== null && typeof id !== "string") return fail(400, ["assistantId must be a string"]);
    if (typeof id === "string" && !store.liveAgent(id)) return fail(400, "Couldn't Find Assistant.");
  }
  for (const [field, value] of Object.entries(body)) {
    if (field === "assistantId") n.inbound = typeof value === "string" ? weightsOf([value]) : null;
    else if (field === "name") n.nickname = typeof value === "string" ? value : null;
    else if (field === "server")
      n.webhookUrl = isRecord(value) && typeof value.url === "string" ? value.url : null;
    else if (value === null) delete n.fields[field];
    else n.fields[field] = value;
  }
  n.updatedAt = Date.now();
  store.noteWrite(n.e164);
  return ok(numberBody(store, n, false));
}

function createCall(store: Store, body: unknown): Reply {
  if (!isRecord(body)) return fail(400, ["body must be an object"]);
  const { phoneNumberId, assistantId, customer } = body;
  const number = typeof phoneNumberId === "string" ? store.numberById(phoneNumberId) : undefined;
  if (!number) return fail(400, "Couldn't Get Phone Number. Need Either `phoneNumberId` Or `phoneNumber`.");
  if (typeof assistantId !== "string") {
    return fail(
      400,
      "Couldn't Get Assistant. Need Either `assistant`, `assistantId`, `squad`, Or `squadId`.",
    );
  }
  if (!store.liveAgent(assistantId)) return fail(400, "Couldn't Find Assistant.");
  const to = isRecord(customer) ? customer.number : undefined;
  if (typeof to !== "string" || !E164.test(to)) {
    return fail(400, ["customer.number must be a valid phone number in the E.164 format."]);
  }
  const createdAt = Date.now();
  const script = takeScript(store, createdAt);
  if ("reject" in script) {
    const { status, message, body: replyBody } = script.reject;
    return { status, body: replyBody ?? error(status, message) };
  }
  const id = store.uuid("ca11ca11");
  recordCall(
    store,
    { id, from: number.e164, to, agentId: assistantId, request: body },
    script.statuses,
    createdAt,
  );
  return ok(
    { ...callBody(store, id, { status: "queued" }), subscriptionLimits: { concurrencyBlocked: false } },
    201,
  );
}

function callBody(store: Store, id: string, snapshot: object) {
  const call = store.calls.get(id)!;
  const number = store.number(call.from);
  return {
    id: call.id,
    orgId: VAPI_ORG_ID,
    type: "outboundPhoneCall",
    phoneNumberId: number?.id ?? null,
    assistantId: call.agentId,
    customer: { number: call.to },
    createdAt: iso(call.createdAt),
    updatedAt: iso(Date.now()),
    ...snapshot,
  };
}

function listPage<T extends { seq: number; createdAt: number }>(
  store: Store,
  all: T[],
  query: Record<string, string>,
  render: (item: T) => unknown,
): Reply {
  const page = arrayPage(all, query, store.listOrder);
  return page.ok ? ok(page.items.map(render)) : fail(400, [page.message]);
}

export const vapiRoutes: ProviderRoutes = {
  authorized: (headers, apiKey) => headers.authorization === `Bearer ${apiKey}`,
  error,
  route: tableRouter([
    {
      method: "GET",
      pattern: "phone-number",
      run: (_, req, store) =>
        listPage(store, [...store.numbers.values()], req.query, (n) => numberBody(store, n, true)),
    },
    {
      method: "GET",
      pattern: "v2/phone-number",
      run: (_, req, store) => {
        const page = numberedResultsPage([...store.numbers.values()], req.query, store.forcedOrder);
        if (!page.ok) return fail(400, [page.message]);
        return ok({
          results: page.items.map((n) => numberBody(store, n, true)),
          metadata: page.meta,
        } satisfies Vapi.PhoneNumberPaginatedResponse);
      },
    },
    {
      method: "GET",
      pattern: "phone-number/:id",
      run: ([id], _, store) => {
        const n = store.numberById(id!);
        return n ? ok(numberBody(store, n, true)) : fail(404);
      },
    },
    {
      method: "PATCH",
      pattern: "phone-number/:id",
      write: true,
      run: ([id], req, store) => {
        const n = store.numberById(id!);
        return n ? updateNumber(store, n, req.body) : fail(404);
      },
    },
    {
      method: "GET",
      pattern: "assistant",
      run: (_, req, store) =>
        listPage(
          store,
          [...store.agents.values()].filter((a) => a.active),
          req.query,
          assistantBody,
        ),
    },
    {
      method: "GET",
      pattern: "assistant/:id",
      run: ([id], _, store) => {
        const agent = store.liveAgent(id!);
        return agent ? ok(assistantBody(agent)) : fail(404);
      },
    },
    { method: "POST", pattern: "call", run: (_, req, store) => createCall(store, req.body) },
    {
      method: "GET",
      pattern: "call/:id",
      run: ([id], _, store) => {
        const call = store.calls.get(id!);
        return call ? ok(callBody(store, call.id, readCall(call))) : fail(404);
      },
    },
  ]),
};
