// Bland's API as the fake serves it (reference: /work/shared/reference/providers.md §3, provider-calls.md §3).
import { readCall, recordCall, takeScript } from "./calls";
import { numberedPage } from "./paging";
import {
  type AgentState,
  BASE_TIME,
  iso,
  isRecord,
  type NumberState,
  type ProviderRoutes,
  type Reply,
  type Store,
  tableRouter,
  weightsOf,
} from "./store";

const MESSAGES: Record<number, string> = {
  400: "Invalid request.",
  401: "Invalid or missing API key.",
  404: "Not found.",
  429: "Too many requests.",
  500: "Internal server error.",
};

/** Older endpoints (`/v1/inbound`, `/v1/calls`, `/v1/me`) answer `{status: "error", message}`. */
const error = (status: number, message?: string) => ({
  status: "error",
  message: message ?? MESSAGES[status] ?? `HTTP ${status}`,
});
const fail = (status: number, message?: string): Reply => ({ status, body: error(status, message) });
/** Newer endpoints (personas) answer `{data, errors}`. */
const failEnvelope = (status: number, code: string, message: string): Reply => ({
  status,
  body: { data: null, errors: [{ error: code, message }] },
});
const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** Bland accepts `+1…`, `%2B1…` (decoded already) and bare US numbers in paths and bodies. */
export function blandE164(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.startsWith("+")) return trimmed;
  if (/^\d{10}$/.test(trimmed)) return `+1${trimmed}`;
  if (/^1\d{10}$/.test(trimmed)) return `+${trimmed}`;
  return trimmed;
}

function inboundBody(n: NumberState) {
  return {
    phone_number: n.e164,
    created_at: iso(n.createdAt),
    prompt: null,
    pathway_id: null,
    webhook: n.webhookUrl,
    voice: "maya",
    max_duration: 30,
    ...n.fields,
  };
}

/** Persona id → numbers it holds, as the current read sees them. */
function holdings(store: Store): Map<string, NumberState[]> {
  const map = new Map<string, NumberState[]>();
  for (const n of store.numbers.values()) {
    for (const id of store.holders(n)) {
      const held = map.get(id);
      if (held) held.push(n);
      else map.set(id, [n]);
    }
  }
  return map;
}

function personaBody(store: Store, a: AgentState, index = holdings(store)) {
  const held = index.get(a.id) ?? [];
  return {
    id: a.id,
    name: a.name,
    role: "Agent",
    description: null,
    tags: [],
    user_id: "user-fake",
    deleted_at: a.active ? null : iso(a.updatedAt),
    current_production_version_id: a.published ? (a.version ?? `pv-${a.id}`) : null,
    current_draft_version_id: `dv-${a.id}`,
    inbound_numbers: held.map((n) => ({
      phone_number: n.e164,
      label: n.nickname,
      persona_id: a.id,
      persona_settings: null,
    })),
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
  };
}

function moveNumbers(store: Store, direction: string, personaId: string, body: unknown): Reply {
  const persona = store.agents.get(personaId);
  if (!persona) return failEnvelope(404, "PERSONA_NOT_FOUND", "Persona not found.");
  if (!persona.active) return failEnvelope(400, "PERSONA_DELETED", "Persona has been deleted.");
  const list = isRecord(body) ? body.inbound_numbers : undefined;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === "string")) {
    return failEnvelope(
      400,
      "INVALID_REQUEST",
      "inbound_numbers must be a non-empty array of phone numbers.",
    );
  }
  const numbers = list.map((raw: string) => store.number(blandE164(raw)));
  const missing = list.filter((_, i) => !numbers[i]);
  if (missing.length > 0) {
    return failEnvelope(400, "NUMBER_NOT_OWNED", `Numbers not found on this account: ${missing.join(", ")}`);
  }
  for (const n of numbers) {
    if (!n) continue;
    const ids = (n.inbound ?? []).map((w) => w.agentId).filter((id) => id !== personaId);
    // Attaching a number another persona holds is undocumented; the fake lets both hold it.
    if (direction === "attach") ids.push(personaId);
    n.inbound = ids.length > 0 ? weightsOf(ids) : null;
    n.updatedAt = Date.now();
    store.noteWrite(n.e164);
  }
  persona.updatedAt = Date.now();
  return ok({ data: personaBody(store, persona), errors: null });
}

function updateInbound(store: Store, n: NumberState, body: unknown): Reply {
  if (!isRecord(body)) return fail(400);
  for (const [field, value] of Object.entries(body)) {
    if (field === "webhook") n.webhookUrl = typeof value === "string" ? value : null;
    else n.fields[field] = value;
  }
  // Setting a pathway wipes the inline prompt.
  if (typeof body.pathway_id === "string" && body.pathway_id !== "") n.fields.prompt = null;
  n.updatedAt = Date.now();
  store.noteWrite(n.e164);
  return ok({ status: "success", message: "Inbound number updated.", data: inboundBody(n) });
}

function createCall(store: Store, body: unknown): Reply {
  if (!isRecord(body)) return fail(400);
  const { phone_number: rawTo, from: rawFrom, persona_id: personaId, pathway_id, task } = body;
  if (typeof rawTo !== "string" || rawTo === "")
    return fail(400, "Missing required parameter: phone_number.");
  const to = blandE164(rawTo);
  let from = "";
  if (rawFrom !== undefined && rawFrom !== null) {
    const number = typeof rawFrom === "string" ? store.number(blandE164(rawFrom)) : undefined;
    if (!number) return fail(400, `The 'from' number ${String(rawFrom)} is not owned by this account.`);
    from = number.e164;
  }
  if (personaId === undefined && pathway_id === undefined && task === undefined) {
    return fail(400, "One of task, pathway_id or persona_id is required.");
  }
  if (personaId !== undefined && (typeof personaId !== "string" || !store.liveAgent(personaId))) {
    return fail(400, `Persona ${String(personaId)} not found.`);
  }
  const createdAt = Date.now();
  const script = takeScript(store, createdAt);
  if ("reject" in script) {
    const { status, message, body: replyBody } = script.reject;
    return { status, body: replyBody ?? error(status, message) };
  }
  const id = store.uuid("ca11ca11");
  const agentId = typeof personaId === "string" ? personaId : String(pathway_id ?? "task");
  recordCall(store, { id, from, to, agentId, request: body }, script.statuses, createdAt);
  return ok({ status: "success", message: "Call successfully queued.", call_id: id, batch_id: null });
}

function callBody(store: Store, id: string, snapshot: object) {
  const call = store.calls.get(id)!;
  return {
    call_id: call.id,
    c_id: call.id,
    to: call.to,
    from: call.from || null,
    persona_id: call.agentId,
    created_at: iso(call.createdAt),
    completed: false,
    queue_status: "new",
    status: null,
    answered_by: null,
    call_length: null,
    error_message: null,
    ...snapshot,
  };
}

export const blandRoutes: ProviderRoutes = {
  // The raw key: a "Bearer " prefix is rejected.
  authorized: (headers, apiKey) => headers.authorization === apiKey,
  error,
  route: tableRouter([
    {
      method: "GET",
      pattern: "v1/inbound",
      run: (_, __, store) => ok({ inbound_numbers: [...store.numbers.values()].map(inboundBody) }),
    },
    {
      method: "GET",
      pattern: "v1/inbound/:number",
      run: ([raw], _, store) => {
        const n = store.number(blandE164(raw!));
        return n ? ok(inboundBody(n)) : fail(404, "Phone number not found.");
      },
    },
    {
      method: "POST",
      pattern: "v1/inbound/:number",
      write: true,
      run: ([raw], req, store) => {
        const n = store.number(blandE164(raw!));
        return n ? updateInbound(store, n, req.body) : fail(404, "Phone number not found.");
      },
    },
    {
      method: "GET",
      pattern: "v1/personas",
      run: (_, req, store) => {
        const page = numberedPage([...store.agents.values()], req.query);
        if (!page.ok) return failEnvelope(400, "INVALID_REQUEST", page.message);
        if (page.page === 1) store.beginScan();
        const index = holdings(store);
        const data = page.items.map((a) => personaBody(store, a, index));
        if (!page.hasMore) store.endScan();
        return ok({ data, errors: null });
      },
    },
    {
      method: "GET",
      pattern: "v1/personas/:id",
      run: ([id], _, store) => {
        const persona = store.agents.get(id!);
        if (!persona) return failEnvelope(404, "PERSONA_NOT_FOUND", "Persona not found.");
        return ok({ data: personaBody(store, persona), errors: null });
      },
    },
    {
      method: "POST",
      pattern: "v1/personas/:id/inbound/attach",
      write: true,
      run: ([id], req, store) => moveNumbers(store, "attach", id!, req.body),
    },
    {
      method: "POST",
      pattern: "v1/personas/:id/inbound/detach",
      write: true,
      run: ([id], req, store) => moveNumbers(store, "detach", id!, req.body),
    },
    {
      method: "GET",
      pattern: "v1/me",
      run: (_, __, store) =>
        ok({
          status: "active",
          billing: { current_balance: 42.5, refill_to: null },
          total_calls: store.calls.size,
          created_at: iso(BASE_TIME),
        }),
    },
    { method: "POST", pattern: "v1/calls", run: (_, req, store) => createCall(store, req.body) },
    {
      method: "GET",
      pattern: "v1/calls/:id",
      run: ([id], _, store) => {
        const call = store.calls.get(id!);
        return call ? ok(callBody(store, call.id, readCall(call))) : fail(404, "Call not found.");
      },
    },
  ]),
};
