// Retell's API as the fake serves it (reference: /work/shared/reference/providers.md §1, provider-calls.md §1).
// Response bodies are typed against retell-sdk's response types, so the fake cannot drift from them.
import type Retell from "retell-sdk";
import { readCall, recordCall, takeScript } from "./calls";
import { cursorPage } from "./paging";
import {
  type AgentState,
  E164,
  isRecord,
  type NumberState,
  type ProviderRoutes,
  type Reply,
  type Store,
  tableRouter,
  type Weighted,
  weightsOf,
} from "./store";

const NOT_FOUND = "Cannot find requested asset under given api key.";
const INVALID = "Invalid request format, please check API reference.";
const MESSAGES: Record<number, string> = {
  400: INVALID,
  401: "API key is missing or invalid.",
  402: "Trial has ended, please add a payment method.",
  403: "Forbidden.",
  404: "Not Found",
  422: NOT_FOUND,
  429: "Account rate limited, please throttle your requests.",
  500: "Internal server error.",
};
const LEGACY_FIELDS = [
  "inbound_agent_id",
  "outbound_agent_id",
  "inbound_agent_version",
  "outbound_agent_version",
];

const error = (status: number, message?: string) => ({
  status: "error",
  message: message ?? MESSAGES[status] ?? `HTTP ${status}`,
});
const fail = (status: number, message?: string): Reply => ({ status, body: error(status, message) });
const ok = (body: unknown, status = 200): Reply => ({ status, body });

const weightsBody = (list: Weighted[] | null) =>
  list?.map(
    (w) =>
      ({
        agent_id: w.agentId,
        agent_version: w.version,
        weight: w.weight,
      }) satisfies Retell.PhoneNumberResponse.InboundAgent,
  ) ?? null;

function numberBody(store: Store, n: NumberState, viaRead: boolean) {
  const inbound = viaRead ? store.readInbound(n) : { overridden: false, ids: null };
  const digits = n.e164.slice(2);
  const body = {
    phone_number: n.e164,
    phone_number_type: "retell-twilio" as const,
    phone_number_pretty: n.e164.startsWith("+1")
      ? `+1 (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`
      : n.e164,
    area_code: Number(digits.slice(0, 3)),
    nickname: n.nickname,
    inbound_agents: inbound.overridden
      ? weightsBody(inbound.ids && weightsOf(inbound.ids))
      : weightsBody(n.inbound),
    outbound_agents: weightsBody(n.outbound),
    inbound_webhook_url: n.webhookUrl,
    last_modification_timestamp: n.updatedAt,
  } satisfies Retell.PhoneNumberResponse;
  return { ...body, ...n.fields };
}

const publishedVersion = (a: AgentState) => Number(a.version ?? 1);

function versionsOf(a: AgentState) {
  const published = publishedVersion(a);
  const versions = a.published
    ? [
        { version: published + 1, is_published: false },
        { version: published, is_published: true },
      ]
    : [{ version: 0, is_published: false }];
  return versions.map((v) => ({ ...v, seq: v.version, createdAt: a.createdAt + v.version }));
}

/** `[{agent_id, agent_version?, weight}]` or null, with weights in (0, 1] summing to 1. */
function parseWeights(store: Store, value: unknown): Weighted[] | null | Reply {
  if (value === null) return null;
  if (!Array.isArray(value)) return fail(400);
  const list: Weighted[] = [];
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry.agent_id !== "string" || typeof entry.weight !== "number") {
      return fail(400);
    }
    if (entry.weight <= 0 || entry.weight > 1) return fail(400, "weight must be in (0, 1]");
    if (!store.liveAgent(entry.agent_id)) return fail(422);
    const version = entry.agent_version ?? "latest";
    if (typeof version !== "string" && typeof version !== "number") return fail(400);
    list.push({ agentId: entry.agent_id, weight: entry.weight, version });
  }
  const total = list.reduce((sum, w) => sum + w.weight, 0);
  if (list.length > 0 && Math.abs(total - 1) > 1e-6) return fail(400, "agent weights must sum to 1");
  return list;
}

const isReply = (value: unknown): value is Reply => isRecord(value) && typeof value.status === "number";

function updateNumber(store: Store, n: NumberState, body: unknown): Reply {
  if (!isRecord(body)) return fail(400);
  const legacy = LEGACY_FIELDS.find((f) => f in body);
  if (legacy) return fail(400, `${legacy} is no longer supported, use inbound_agents / outbound_agents`);
  const updates: Partial<Pick<NumberState, "inbound" | "outbound">> = {};
  for (const [field, key] of [
    ["inbound_agents", "inbound"],
    ["outbound_agents", "outbound"],
  ] as const) {
    if (!(field in body)) continue;
    const parsed = parseWeights(store, body[field]);
    if (isReply(parsed)) return parsed;
    updates[key] = parsed;
  }
  Object.assign(n, updates);
  for (const [field, value] of Object.entries(body)) {
    if (field === "inbound_agents" || field === "outbound_agents") continue;
    if (field === "nickname") n.nickname = typeof value === "string" ? value : null;
    else if (field === "inbound_webhook_url") n.webhookUrl = typeof value === "string" ? value : null;
    else n.fields[field] = value;
  }
  n.updatedAt = Date.now();
  store.noteWrite(n.e164);
  return ok(numberBody(store, n, false));
}

function createCall(store: Store, body: unknown): Reply {
  if (!isRecord(body)) return fail(400);
  const { from_number: from, to_number: to, override_agent_id: override } = body;
  if (typeof from !== "string" || typeof to !== "string" || !E164.test(to)) return fail(400);
  const number = store.number(from);
  if (!number) return fail(422);
  let agentId = number.outbound?.[0]?.agentId;
  if (override !== undefined && override !== null) {
    if (typeof override !== "string" || !store.liveAgent(override)) return fail(422);
    agentId = override;
  }
  if (!agentId) return fail(400, "No outbound agent is set on from_number and no override_agent_id given.");
  const createdAt = Date.now();
  const script = takeScript(store, createdAt);
  if ("reject" in script) {
    return {
      status: script.reject.status,
      body: script.reject.body ?? error(script.reject.status, script.reject.message),
    };
  }
  const id = `call_${store.uuid("ca11ca11").replaceAll("-", "")}`;
  recordCall(store, { id, from, to, agentId, request: body }, script.statuses, createdAt);
  return ok(callBody(store, id), 201);
}

function callBody(store: Store, id: string, snapshot: object = { call_status: "registered" }) {
  const call = store.calls.get(id)!;
  return {
    call_id: call.id,
    call_type: "phone_call",
    direction: "outbound",
    agent_id: call.agentId,
    from_number: call.from,
    to_number: call.to,
    ...snapshot,
  };
}

function listPage<T extends { seq: number; createdAt: number }, U>(
  all: T[],
  query: Record<string, string>,
  render: (item: T) => U,
): Reply {
  const page = cursorPage(all, query);
  if (!page.ok) return fail(400, page.message);
  return ok({
    items: page.items.map(render),
    has_more: page.hasMore,
    ...(page.key ? { pagination_key: page.key } : {}),
  });
}

function voiceFilter(body: unknown): string | null {
  const criteria = isRecord(body) ? body.filter_criteria : undefined;
  const channel = isRecord(criteria) ? criteria.channel : undefined;
  return isRecord(channel) && typeof channel.value === "string" ? channel.value : null;
}

export const retellRoutes: ProviderRoutes = {
  authorized: (headers, apiKey) => headers.authorization === `Bearer ${apiKey}`,
  error,
  route: tableRouter([
    {
      method: "GET",
      pattern: "v2/list-phone-numbers",
      run: (_, req, store) =>
        listPage([...store.numbers.values()], req.query, (n) => numberBody(store, n, true)),
    },
    {
      method: "GET",
      pattern: "get-phone-number/:number",
      run: ([e164], _, store) => {
        const n = store.number(e164!);
        return n ? ok(numberBody(store, n, true)) : fail(422);
      },
    },
    {
      method: "PATCH",
      pattern: "update-phone-number/:number",
      write: true,
      run: ([e164], req, store) => {
        const n = store.number(e164!);
        return n ? updateNumber(store, n, req.body) : fail(422);
      },
    },
    {
      method: "POST",
      pattern: "v2/list-agents",
      run: (_, req, store) => {
        const wanted = voiceFilter(req.body);
        const agents = [...store.agents.values()].filter((a) => !wanted || a.channel === wanted);
        return listPage(
          agents,
          req.query,
          (a) =>
            ({
              agent_id: a.id,
              agent_name: a.name,
              channel: a.channel,
              tags: {},
              user_modified_timestamp: a.updatedAt,
            }) satisfies Retell.AgentListResponse.Item,
        );
      },
    },
    {
      method: "GET",
      pattern: "list-agent-versions/:agent",
      run: ([id], req, store) => {
        const agent = store.liveAgent(id!);
        if (!agent) return fail(422);
        return listPage(
          versionsOf(agent),
          req.query,
          ({ version, is_published }) =>
            ({
              version,
              is_published,
              last_modification_timestamp: agent.updatedAt,
            }) satisfies Retell.AgentListVersionsResponse.Item,
        );
      },
    },
    {
      method: "GET",
      pattern: "get-agent/:agent",
      run: ([id], _, store) => {
        const agent = store.liveAgent(id!);
        if (!agent) return fail(422);
        const { version, is_published } = versionsOf(agent)[0]!;
        return ok({
          agent_id: agent.id,
          agent_name: agent.name,
          version,
          is_published,
          last_modification_timestamp: agent.updatedAt,
        });
      },
    },
    { method: "POST", pattern: "v2/create-phone-call", run: (_, req, store) => createCall(store, req.body) },
    {
      method: "GET",
      pattern: "v2/get-call/:call",
      run: ([id], _, store) => {
        const call = store.calls.get(id!);
        return call ? ok(callBody(store, call.id, readCall(call))) : fail(422);
      },
    },
  ]),
};
