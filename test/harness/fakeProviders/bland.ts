// Bland's API as the fake serves it (reference: /work/shared/reference/providers.md §3, provider-calls.md §3).
import { readCall, recordCall, takeScript } from "./calls";
import { numberedPage } from "./paging";
import {
  type AgentState,
  BASE_TIME,
  idsOf,
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

/** Holder id (persona or v2 agent) → numbers it holds, as the current read sees them. */
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

/** The persona Bland created for a v2 agent's numbers, by its id. */
function backingOwner(store: Store, personaId: string): AgentState | undefined {
  for (const [agentId, id] of store.backing) if (id === personaId) return store.agents.get(agentId);
  return undefined;
}

/** A backing persona as `GET /v1/personas/{id}` shows it: the numbers attached to its agent. */
function backingPersonaBody(store: Store, personaId: string, agent: AgentState) {
  const held = holdings(store).get(agent.id) ?? [];
  return {
    id: personaId,
    name: agent.name,
    role: null,
    description: null,
    tags: [],
    user_id: "user-fake",
    deleted_at: null,
    current_production_version_id: null,
    current_draft_version_id: null,
    inbound_numbers: held.map((n) => ({
      phone_number: n.e164,
      label: n.nickname,
      persona_id: personaId,
      persona_settings: null,
    })),
    created_at: iso(agent.createdAt),
    updated_at: iso(agent.updatedAt),
  };
}

const personas = (store: Store) => [...store.agents.values()].filter((a) => a.kind === "persona");

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
  if (persona?.kind !== "persona") return failEnvelope(404, "PERSONA_NOT_FOUND", "Persona not found.");
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

/** docs api-v2 agent record (list and get), without environments. */
const agentRecord = (a: AgentState) => ({
  id: a.id,
  org_id: "org-fake",
  name: a.name,
  created_by: null,
  created_at: iso(a.createdAt),
  updated_at: iso(a.updatedAt),
});

/** docs api-v2/get/agents-id-environments: dev is never pinned; production pins a version once promoted. */
const environmentsOf = (a: AgentState) =>
  (["dev", "staging", "production"] as const).map((env) => {
    const pinned = env !== "dev" && a.published ? (a.version ?? `ver-${a.id}`) : null;
    return {
      id: `env-${env}-${a.id}`,
      agent_id: a.id,
      env_type: env,
      current_version_id: pinned,
      current_version_name: pinned ? "Published" : null,
      current_version_semver: pinned ? "1.0.0" : null,
    };
  });

const liveV2Agent = (store: Store, id: string) => {
  const agent = store.agents.get(id);
  return agent && agent.kind === "agent" && agent.active ? agent : undefined;
};

/** `POST /v2/agents/{id}/inbound/attach|detach` (docs api-v2/post/agents-id-inbound-attach, -detach). */
function moveAgentNumbers(
  store: Store,
  direction: "attach" | "detach",
  agentId: string,
  body: unknown,
): Reply {
  const agent = liveV2Agent(store, agentId);
  if (!agent) return failEnvelope(404, "AGENT_NOT_FOUND", "Agent not found.");
  const list = isRecord(body) ? body.inbound_numbers : undefined;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((x) => typeof x === "string" && x.trim() !== "")
  ) {
    return failEnvelope(
      400,
      "INVALID_BODY",
      "inbound_numbers must be a non-empty array of non-empty strings.",
    );
  }
  const numbers = list.map((raw: string) => store.number(blandE164(raw.trim())));
  if (direction === "detach") {
    let detached = 0;
    for (const n of numbers) {
      if (!n || !idsOf(n.inbound).includes(agentId)) continue;
      const ids = idsOf(n.inbound).filter((id) => id !== agentId);
      n.inbound = ids.length > 0 ? weightsOf(ids) : null;
      n.updatedAt = Date.now();
      store.noteWrite(n.e164);
      detached++;
    }
    return ok({ data: { agent_id: agentId, detached_count: detached }, errors: null });
  }
  const missing = list.filter((_, i) => !numbers[i]);
  if (missing.length > 0) {
    return failEnvelope(400, "INVALID_INBOUND_NUMBERS", `Numbers not on this account: ${missing.join(", ")}`);
  }
  if (!agent.hasVersions) {
    return failEnvelope(
      400,
      "AGENT_HAS_NO_VERSIONS",
      "Save a version of the agent before attaching numbers.",
    );
  }
  if (!store.backing.has(agentId)) store.backing.set(agentId, store.uuid("9e45a9e4"));
  for (const n of numbers) {
    if (!n) continue;
    // Replaces any existing pathway or persona assignment on the number.
    n.inbound = weightsOf([agentId]);
    delete n.fields.pathway_id;
    n.updatedAt = Date.now();
    store.noteWrite(n.e164);
  }
  agent.updatedAt = Date.now();
  return ok({
    data: { agent_id: agentId, persona_id: store.backing.get(agentId), inbound_numbers: list },
    errors: null,
  });
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
  const {
    phone_number: rawTo,
    from: rawFrom,
    persona_id: personaId,
    agent_id: agentIdParam,
    agent_version,
    pathway_id,
    task,
  } = body;
  if (typeof rawTo !== "string" || rawTo === "")
    return fail(400, "Missing required parameter: phone_number.");
  const to = blandE164(rawTo);
  let from = "";
  if (rawFrom !== undefined && rawFrom !== null) {
    const number = typeof rawFrom === "string" ? store.number(blandE164(rawFrom)) : undefined;
    if (!number) return fail(400, `The 'from' number ${String(rawFrom)} is not owned by this account.`);
    from = number.e164;
  }
  if (
    personaId === undefined &&
    agentIdParam === undefined &&
    pathway_id === undefined &&
    task === undefined
  ) {
    return fail(400, "One of task, pathway_id, persona_id or agent_id is required.");
  }
  if (personaId !== undefined) {
    const persona = typeof personaId === "string" ? store.liveAgent(personaId) : undefined;
    if (persona?.kind !== "persona") return fail(400, `Persona ${String(personaId)} not found.`);
  }
  if (agentIdParam !== undefined) {
    const agent = typeof agentIdParam === "string" ? liveV2Agent(store, agentIdParam) : undefined;
    if (!agent) return failEnvelope(404, "AGENT_NOT_FOUND", `Agent ${String(agentIdParam)} not found.`);
    // docs agents/environments: a call runs the production version; none pinned → refused.
    if (!agent.published && agent_version === undefined) {
      return failEnvelope(
        400,
        "BAD_REQUEST",
        'Agent cannot serve calls yet (AGENT_ENV_UNPINNED): Agent has no version deployed to "production"; deploy one or pass agent_version',
      );
    }
  }
  const createdAt = Date.now();
  const script = takeScript(store, createdAt);
  if ("reject" in script) {
    const { status, message, body: replyBody } = script.reject;
    return { status, body: replyBody ?? error(status, message) };
  }
  const id = store.uuid("ca11ca11");
  const agentId =
    typeof agentIdParam === "string"
      ? agentIdParam
      : typeof personaId === "string"
        ? personaId
        : String(pathway_id ?? "task");
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
  // The raw key, or (docs api-v1/post/calls-agent, 2026) the same key with a "Bearer " prefix.
  authorized: (headers, apiKey) =>
    headers.authorization === apiKey || headers.authorization === `Bearer ${apiKey}`,
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
        // Backing personas of v2 agents are left out of the list (read them by id).
        const page = numberedPage(personas(store), req.query);
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
        const owner = backingOwner(store, id!);
        if (owner) return ok({ data: backingPersonaBody(store, id!, owner), errors: null });
        const persona = store.agents.get(id!);
        if (persona?.kind !== "persona") return failEnvelope(404, "PERSONA_NOT_FOUND", "Persona not found.");
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
          status: store.accountStatus,
          billing: { current_balance: 42.5, refill_to: null },
          total_calls: store.calls.size,
          created_at: iso(BASE_TIME),
        }),
    },
    {
      method: "GET",
      pattern: "v2/agents",
      run: (_, req, store) => {
        // docs api-v2/get/agents: live agents, most recently updated first; limit 1–500 (clamped).
        const raw = Number(req.query.limit ?? 100);
        const limit = Math.min(500, Math.max(1, Number.isFinite(raw) ? Math.trunc(raw) : 100));
        const agents = [...store.agents.values()]
          .filter((a) => a.kind === "agent" && a.active)
          .sort((a, b) => b.updatedAt - a.updatedAt || b.seq - a.seq)
          .slice(0, limit);
        return ok({ data: agents.map(agentRecord), errors: null });
      },
    },
    {
      method: "GET",
      pattern: "v2/agents/:id",
      run: ([id], _, store) => {
        const agent = liveV2Agent(store, id!);
        if (!agent) return failEnvelope(404, "AGENT_NOT_FOUND", "Agent not found.");
        return ok({ data: { ...agentRecord(agent), environments: environmentsOf(agent) }, errors: null });
      },
    },
    {
      method: "GET",
      pattern: "v2/agents/:id/environments",
      run: ([id], _, store) => {
        const agent = liveV2Agent(store, id!);
        if (!agent) return failEnvelope(404, "AGENT_NOT_FOUND", "Agent not found.");
        return ok({ data: environmentsOf(agent), errors: null });
      },
    },
    {
      method: "GET",
      pattern: "v2/agents/:id/inbound",
      // An unknown agent answers persona_id null rather than 404 (docs api-v2/get/agents-id-inbound).
      run: ([id], _, store) =>
        ok({ data: { agent_id: id, persona_id: store.backing.get(id!) ?? null }, errors: null }),
    },
    {
      method: "POST",
      pattern: "v2/agents/:id/inbound/attach",
      write: true,
      run: ([id], req, store) => moveAgentNumbers(store, "attach", id!, req.body),
    },
    {
      method: "POST",
      pattern: "v2/agents/:id/inbound/detach",
      write: true,
      run: ([id], req, store) => moveAgentNumbers(store, "detach", id!, req.body),
    },
    {
      method: "GET",
      pattern: "v1/convo_pathway/:id/migration_split",
      run: ([id], _, store) => {
        const split = store.splits.get(id!);
        return ok({
          data: { migration_split: split ? { pathway_id: id, ...split } : null },
          errors: null,
        });
      },
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
