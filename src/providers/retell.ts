import { z } from "zod";
import { badResponseError, isProviderError, nullIfNotFound } from "./errors";
import { createProviderHttp, type ProviderClientOptions, type ProviderHttp, pathSegment } from "./http";
import { compactRouting } from "./routing";
import type {
  CallStatus,
  ListAgentsHints,
  ProviderAgent,
  ProviderCall,
  ProviderNumber,
  VoiceProvider,
} from "./types";

export const RETELL_BASE_URL = "https://api.retellai.com";

const agentWeights = z
  .array(z.object({ agent_id: z.string(), agent_version: z.union([z.number(), z.string()]).nullish() }))
  .nullish();

const phoneNumberSchema = z.object({
  phone_number: z.string(),
  nickname: z.string().nullish(),
  inbound_agents: agentWeights,
  outbound_agents: agentWeights,
  inbound_webhook_url: z.string().nullish(),
});

const cursorPage = <T>(item: z.ZodType<T>) =>
  z.object({ items: z.array(item), has_more: z.boolean(), pagination_key: z.string().nullish() });

const agentSchema = z.object({
  agent_id: z.string(),
  agent_name: z.string().nullish(),
  user_modified_timestamp: z.number().nullish(),
});
const versionSchema = z.object({ version: z.number(), is_published: z.boolean().nullish() });

const callSchema = z.object({
  call_id: z.string(),
  call_status: z.enum(["registered", "ongoing", "ended", "not_connected", "error"]),
  duration_ms: z.number().nullish(),
  disconnection_reason: z.string().nullish(),
});

const callStatusMap: Record<
  z.infer<typeof callSchema>["call_status"],
  { status: CallStatus; connected: boolean | null }
> = {
  // Retell has no ringing state: "registered" means the id is issued and the call is dialling.
  registered: { status: "queued", connected: null },
  ongoing: { status: "in_progress", connected: true },
  ended: { status: "ended", connected: true },
  not_connected: { status: "ended", connected: false },
  error: { status: "ended", connected: false },
};

export function createRetellProvider(options: ProviderClientOptions): VoiceProvider {
  const { apiKey, baseURL = RETELL_BASE_URL, ...policy } = options;
  const http = createProviderHttp({
    ...policy,
    provider: "retell",
    baseURL,
    headers: { Authorization: `Bearer ${apiKey}` },
  });

  const updateNumber = async (operation: string, e164: string, body: object, subject: string) => {
    await http.request(
      operation,
      { method: "PATCH", url: `/update-phone-number/${pathSegment(e164)}`, data: body },
      z.object({ phone_number: z.string() }),
      { subject },
    );
  };

  /** The version a call through this agent answers with, as a number when it can be resolved. */
  async function publishedVersion(agentId: string): Promise<number | null> {
    const { version } = await agentReadiness(agentId);
    return version === null ? null : Number(version);
  }

  async function agentReadiness(
    agentId: string,
  ): Promise<Pick<ProviderAgent, "published" | "active" | "version">> {
    try {
      const versions = await allPages(
        http,
        "list agent versions",
        (params) => ({
          method: "GET",
          url: `/list-agent-versions/${pathSegment(agentId)}`,
          params,
        }),
        versionSchema,
        `agent ${agentId}`,
      );
      const published = versions.filter((v) => v.is_published === true).map((v) => v.version);
      return {
        published: published.length > 0,
        active: true,
        version: published.length > 0 ? String(Math.max(...published)) : null,
      };
    } catch (error) {
      // Deleted between the agent list and this call.
      if (isProviderError(error) && error.kind === "not_found") {
        return { published: false, active: false, version: null };
      }
      throw error;
    }
  }

  return {
    name: "retell",

    async listNumbers() {
      const items = await allPages(
        http,
        "list numbers",
        (params) => ({
          method: "GET",
          url: "/v2/list-phone-numbers",
          params: retellListQuery({ limit: 1000, ...params }),
        }),
        phoneNumberSchema,
      );
      return items.map(toNumber);
    },

    /**
     * Versions are read per agent (`list-agent-versions`, one call each), so they are read only for
     * agents sync needs live (bound to a number), agents it has not seen, and agents whose
     * `user_modified_timestamp` moved since it last recorded them; the others keep their recorded
     * readiness. Calls per sync: ceil(agents / 1000) list pages + one per such agent (more only for
     * an agent with over 1000 versions). Without hints every agent's versions are read.
     */
    async listAgents(hints?: ListAgentsHints) {
      const items = await allPages(
        http,
        "list agents",
        (params) => ({
          method: "POST",
          url: "/v2/list-agents",
          params: { limit: 1000, ...params },
          data: retellListAgentsBody(),
        }),
        agentSchema,
      );
      const agents = [...new Map(items.map((a) => [a.agent_id, a])).values()];
      // Each request goes through the provider's concurrency limit, so this fan-out stays bounded.
      return Promise.all(
        agents.map(async (agent) => {
          const modifiedAt =
            agent.user_modified_timestamp == null
              ? null
              : new Date(agent.user_modified_timestamp).toISOString();
          const known = hints?.known.get(agent.agent_id);
          const reuse =
            known &&
            !hints?.needed.has(agent.agent_id) &&
            modifiedAt !== null &&
            known.modifiedAt === modifiedAt;
          const readiness = reuse
            ? { published: known.published, active: known.active, version: known.version }
            : await agentReadiness(agent.agent_id);
          return {
            providerAgentId: agent.agent_id,
            kind: "agent" as const,
            name: agent.agent_name || agent.agent_id,
            modifiedAt,
            ...readiness,
          };
        }),
      );
    },

    async getAgent(agentId) {
      const agent = await http.request(
        "get agent",
        { method: "GET", url: `/get-agent/${pathSegment(agentId)}` },
        agentSchema,
        { subject: `agent ${agentId}` },
      );
      return {
        providerAgentId: agent.agent_id,
        kind: "agent",
        name: agent.agent_name || agent.agent_id,
        ...(await agentReadiness(agentId)),
      };
    },

    findNumber(e164) {
      return nullIfNotFound(this.getNumber({ providerNumberId: e164, e164 }));
    },

    async getNumber(ref) {
      const number = await http.request(
        "get number",
        { method: "GET", url: `/get-phone-number/${pathSegment(ref.e164)}` },
        phoneNumberSchema,
        { subject: ref.e164 },
      );
      return toNumber(number);
    },

    async bind(ref, { providerAgentId }) {
      await updateNumber(
        "bind number",
        ref.e164,
        retellBindBody(providerAgentId),
        `${ref.e164} or agent ${providerAgentId}`,
      );
    },

    async unbind(ref) {
      await updateNumber("unbind number", ref.e164, retellUnbindBody(), ref.e164);
    },

    async checkKey() {
      await http.request(
        "check key",
        { method: "GET", url: "/v2/list-phone-numbers", params: retellListQuery({ limit: 1 }) },
        cursorPage(z.unknown()),
      );
    },

    /**
     * Pins the version the number answers with: the `agent_version` bound on the number for this
     * agent, with "latest_published" (what Switchboard binds) resolved to the concrete published
     * version, so the test call runs what callers get and not the editable draft.
     */
    async placeCall({ from, to, providerAgentId }) {
      const number = await http.request(
        "get number",
        { method: "GET", url: `/get-phone-number/${pathSegment(from.e164)}` },
        phoneNumberSchema,
        { subject: from.e164 },
      );
      const bound = [...(number.outbound_agents ?? []), ...(number.inbound_agents ?? [])].find(
        (a) => a.agent_id === providerAgentId,
      )?.agent_version;
      const version =
        typeof bound === "number" || (typeof bound === "string" && bound !== "latest_published")
          ? bound
          : await publishedVersion(providerAgentId);
      const call = await http.request(
        "place call",
        {
          method: "POST",
          url: "/v2/create-phone-call",
          data: retellCallBody({ from: from.e164, to, agentId: providerAgentId, version }),
        },
        z.object({ call_id: z.string() }),
        { subject: `${from.e164} or agent ${providerAgentId}` },
      );
      return { callId: call.call_id };
    },

    async getCall(callId): Promise<ProviderCall> {
      const call = await http.request(
        "get call",
        { method: "GET", url: `/v2/get-call/${pathSegment(callId)}` },
        callSchema,
        { subject: `call ${callId}` },
      );
      const { status, connected } = callStatusMap[call.call_status];
      return {
        callId: call.call_id,
        status,
        connected,
        endReason: call.disconnection_reason ?? null,
        durationSec: call.duration_ms == null ? null : call.duration_ms / 1000,
      };
    },
  };
}

/** `PATCH /update-phone-number/{n}`: exactly one agent in and out (R1, R2), on its latest published version. */
export function retellBindBody(agentId: string) {
  const entry = [{ agent_id: agentId, agent_version: "latest_published", weight: 1 }];
  return { inbound_agents: entry, outbound_agents: entry };
}

/** `PATCH /update-phone-number/{n}` leaving no agent (both lists are nullable in Retell's spec). */
export function retellUnbindBody() {
  return { inbound_agents: null, outbound_agents: null };
}

/** `POST /v2/list-agents` body: voice agents only (the endpoint also returns chat agents). */
export function retellListAgentsBody() {
  return {
    filter_criteria: { channel: { type: "string" as const, op: "eq" as const, value: "voice" as const } },
  };
}

export function retellListQuery(query: { limit?: number; pagination_key?: string }) {
  return query;
}

/** `POST /v2/create-phone-call` from the number through the agent, pinned to a version when known. */
export function retellCallBody(input: {
  from: string;
  to: string;
  agentId: string;
  version: number | string | null;
}) {
  return {
    from_number: input.from,
    to_number: input.to,
    override_agent_id: input.agentId,
    ...(input.version === null ? {} : { override_agent_version: input.version }),
  };
}

function toNumber(n: z.infer<typeof phoneNumberSchema>): ProviderNumber {
  return {
    providerNumberId: n.phone_number,
    e164: n.phone_number,
    nickname: n.nickname ?? null,
    inboundAgentIds: (n.inbound_agents ?? []).map((a) => a.agent_id),
    outboundAgentIds: (n.outbound_agents ?? []).map((a) => a.agent_id),
    otherRouting: compactRouting({ webhookUrl: n.inbound_webhook_url ?? undefined }),
  };
}

/** Follows Retell's `pagination_key` while `has_more`, refusing a cursor that would loop forever. */
async function allPages<T>(
  http: ProviderHttp,
  operation: string,
  request: (params: { pagination_key?: string }) => Parameters<ProviderHttp["request"]>[1],
  item: z.ZodType<T>,
  subject?: string,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let key: string | undefined;
  for (;;) {
    const page = await http.request(
      operation,
      request(key ? { pagination_key: key } : {}),
      cursorPage(item),
      {
        subject,
        idempotent: true,
      },
    );
    items.push(...page.items);
    if (!page.has_more) return items;
    if (!page.pagination_key || seen.has(page.pagination_key)) {
      throw badResponseError({
        provider: "retell",
        operation,
        field: "pagination_key",
        problem: page.pagination_key ? "repeats a cursor already followed" : "missing while has_more is true",
      });
    }
    key = page.pagination_key;
    seen.add(key);
  }
}
