// Bland: numbers route to v2 agents (the Agents API, since September 2026) or to personas (v1), or
// directly to a pathway, possibly on a migration split. Calls per sync, for the record:
// listNumbers = 1 (`/v1/inbound`) + persona pages + 1 (`/v2/agents`) + 1 per agent never attached
// before (its `/inbound`; attached agents' backing personas are remembered) + 1 per backing persona
// the persona list leaves out + 1 per distinct pathway bound to a number (its migration split);
// listAgents = persona pages + 1 (`/v2/agents`) + 1 per agent (its environments, for the
// production pin) + the same `/inbound` look-ups. Bland's wire format (schemas, bodies, mappers)
// is blandWire.ts.
import { z } from "zod";
import {
  agentInboundSchema,
  agentOf,
  agentSchema,
  type Bindings,
  blandCallBody,
  blandInboundNumbersBody,
  callSchema,
  type Environment,
  environmentSchema,
  type Holder,
  inboundSchema,
  type Persona,
  personaEnvelope,
  personaOf,
  personaSchema,
  splitSchema,
  toCall,
  toNumber,
  type V2Agent,
} from "./blandWire";
import {
  accountInactiveError,
  badResponseError,
  isProviderError,
  nullIfNotFound,
  ProviderError,
} from "./errors";
import { createProviderHttp, type ProviderClientOptions, pathSegment } from "./http";
import type { AgentKind, MigrationSplit, ProviderAgent, VoiceProvider } from "./types";

export const BLAND_BASE_URL = "https://api.bland.ai";

/** The maximum page size of `GET /v1/personas`; a shorter page is the last one. */
const PERSONA_PAGE = 100;
/** `GET /v2/agents` returns every live agent up to `limit` (max 500, clamped); it documents no cursor. */
const AGENT_LIST_LIMIT = 500;

const KIND_WORD: Record<Holder["kind"], string> = { agent: "agent", persona: "persona" };

export function createBlandProvider(options: ProviderClientOptions): VoiceProvider {
  const { apiKey, baseURL = BLAND_BASE_URL, ...policy } = options;
  const http = createProviderHttp({
    ...policy,
    provider: "bland",
    baseURL,
    // The raw key, as Bland's own examples send it (a "Bearer " prefix is accepted too nowadays).
    headers: { Authorization: apiKey },
    errorsInOkBody: true,
  });
  /**
   * Agent id → the persona Bland created on its first attach. Bland keeps it for good ("stays set
   * even after every number is detached"), so it is remembered; agents without one are asked again.
   */
  const backingPersonas = new Map<string, string>();

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

  async function listV2Agents(operation: string): Promise<V2Agent[]> {
    const { data } = await http.request(
      operation,
      { method: "GET", url: "/v2/agents", params: { limit: AGENT_LIST_LIMIT } },
      z.object({ data: z.array(agentSchema) }),
    );
    // A full answer may be cut short, and Bland offers no way to read past it: an agent missing from
    // the list would be recorded as deleted. Fail loudly instead of passing a partial list as complete.
    if (data.length >= AGENT_LIST_LIMIT) {
      throw badResponseError({
        provider: "bland",
        operation,
        field: "data",
        problem: `${data.length} agents, the most /v2/agents returns; Bland documents no way to read more, so the list may be incomplete`,
      });
    }
    return data;
  }

  async function backingPersonaOf(agentId: string): Promise<string | null> {
    const known = backingPersonas.get(agentId);
    if (known) return known;
    const { data } = await http.request(
      "read agent inbound binding",
      { method: "GET", url: `/v2/agents/${pathSegment(agentId)}/inbound` },
      agentInboundSchema,
      { subject: `agent ${agentId}` },
    );
    const personaId = data?.persona_id ?? null;
    if (personaId) backingPersonas.set(agentId, personaId);
    return personaId;
  }

  async function backingMap(agents: V2Agent[]): Promise<Map<string, string>> {
    const pairs = await Promise.all(agents.map(async (a) => [await backingPersonaOf(a.id), a.id] as const));
    return new Map(pairs.filter((p): p is readonly [string, string] => p[0] !== null));
  }

  /** Who holds each number: personas as listed, and v2 agents through their backing personas. */
  async function bindings(): Promise<Bindings> {
    const [personas, agents] = await Promise.all([
      listPersonas("list personas"),
      listV2Agents("list agents"),
    ]);
    const backing = await backingMap(agents);
    const byNumber = new Map<string, Holder[]>();
    const add = (e164: string, holder: Holder) => byNumber.set(e164, [...(byNumber.get(e164) ?? []), holder]);
    const listed = new Set<string>();
    for (const persona of personas) {
      listed.add(persona.id);
      // Deleted personas no longer answer, so they hold nothing.
      if (persona.deleted_at != null) continue;
      const agentId = backing.get(persona.id);
      const holder: Holder = agentId ? { id: agentId, kind: "agent" } : { id: persona.id, kind: "persona" };
      for (const { phone_number } of persona.inbound_numbers ?? []) add(phone_number, holder);
    }
    // Whether backing personas appear in the persona list is not documented: read the others directly.
    const unlisted = [...backing].filter(([personaId]) => !listed.has(personaId));
    const read = await Promise.all(
      unlisted.map(async ([personaId, agentId]) => {
        try {
          const { data } = await http.request(
            "read agent numbers",
            { method: "GET", url: `/v1/personas/${pathSegment(personaId)}` },
            z.object({ data: personaSchema }),
            { subject: `persona ${personaId} of agent ${agentId}` },
          );
          return { agentId, persona: data };
        } catch (error) {
          if (isProviderError(error) && error.kind === "not_found") return null;
          throw error;
        }
      }),
    );
    for (const entry of read) {
      if (!entry) continue;
      for (const { phone_number } of entry.persona.inbound_numbers ?? []) {
        add(phone_number, { id: entry.agentId, kind: "agent" });
      }
    }
    return { byNumber, backing };
  }

  /** The pathway's migration split, if it sends any traffic to an agent; null when none (or 0 %). */
  async function splitOf(pathwayId: string): Promise<MigrationSplit | null> {
    try {
      const { data } = await http.request(
        "read migration split",
        { method: "GET", url: `/v1/convo_pathway/${pathSegment(pathwayId)}/migration_split` },
        splitSchema,
        { subject: `pathway ${pathwayId}` },
      );
      const split = data?.migration_split;
      if (!split || split.v2_percentage <= 0) return null;
      return { pathwayId, agentId: split.agent_id, percentage: split.v2_percentage };
    } catch (error) {
      // 404: not a pathway of this org; 400: a pathway compiled from a v2 agent, which has no split.
      if (isProviderError(error) && (error.kind === "not_found" || error.kind === "rejected")) return null;
      throw error;
    }
  }

  async function splitsFor(numbers: z.infer<typeof inboundSchema>[], byNumber: Map<string, Holder[]>) {
    // A split routes only numbers bound directly to the pathway, not those reaching it through a persona.
    const pathways = new Set(
      numbers.filter((n) => n.pathway_id && !byNumber.get(n.phone_number)?.length).map((n) => n.pathway_id!),
    );
    const splits = await Promise.all([...pathways].map(async (id) => [id, await splitOf(id)] as const));
    return new Map(splits);
  }

  const movePersona = async (direction: "attach" | "detach", personaId: string, e164: string) => {
    await http.request(
      `${direction} number`,
      {
        method: "POST",
        url: `/v1/personas/${pathSegment(personaId)}/inbound/${direction}`,
        data: blandInboundNumbersBody([e164]),
      },
      personaEnvelope,
      // Attaching or detaching a number twice leaves the same state.
      { subject: `${e164} or persona ${personaId}`, idempotent: true },
    );
  };

  const moveAgent = async (direction: "attach" | "detach", agentId: string, e164: string) => {
    await http.request(
      `${direction} number`,
      {
        method: "POST",
        url: `/v2/agents/${pathSegment(agentId)}/inbound/${direction}`,
        data: blandInboundNumbersBody([e164]),
      },
      z.object({ data: z.unknown() }),
      { subject: `${e164} or agent ${agentId}`, idempotent: true },
    );
  };

  const move = (direction: "attach" | "detach", holder: Holder, e164: string) =>
    holder.kind === "agent" ? moveAgent(direction, holder.id, e164) : movePersona(direction, holder.id, e164);

  /**
   * A two-call move failed after `detached` were taken off the number: put them back, and say
   * truthfully what the number answers with now.
   */
  async function restore(
    e164: string,
    detached: Holder[],
    target: Holder | null,
    cause: unknown,
  ): Promise<never> {
    const failure = isProviderError(cause) ? cause : null;
    const what = failure?.message ?? String(cause);
    const from = detached.map((h) => `${KIND_WORD[h.kind]} ${h.id}`).join(", ");
    const step = target ? `attaching it to ${KIND_WORD[target.kind]} ${target.id}` : "the second step";
    try {
      for (const holder of detached) await move("attach", holder, e164);
    } catch (restoreError) {
      const why = restoreError instanceof Error ? restoreError.message : String(restoreError);
      throw new ProviderError({
        provider: "bland",
        operation: "move number",
        kind: failure?.kind ?? "unavailable",
        ...(failure?.status !== undefined ? { status: failure.status } : {}),
        ...(failure?.providerMessage ? { providerMessage: failure.providerMessage } : {}),
        bindingLost: true,
        cause,
        message: `Bland took ${e164} off ${from}, then ${step} failed (${what}), and putting it back failed too (${why}): ${e164} now answers no calls.`,
      });
    }
    throw new ProviderError({
      provider: "bland",
      operation: "move number",
      kind: failure?.kind ?? "unavailable",
      ...(failure?.status !== undefined ? { status: failure.status } : {}),
      ...(failure?.providerMessage ? { providerMessage: failure.providerMessage } : {}),
      restored: true,
      cause,
      message: `${step[0]!.toUpperCase()}${step.slice(1)} failed (${what}); Switchboard put ${e164} back on ${from}, so it still answers as before.`,
    });
  }

  async function environments(agentId: string): Promise<Environment[]> {
    const { data } = await http.request(
      "read agent environments",
      { method: "GET", url: `/v2/agents/${pathSegment(agentId)}/environments` },
      z.object({ data: z.array(environmentSchema) }),
      { subject: `agent ${agentId}` },
    );
    return data;
  }

  async function getAgent(id: string, kind?: AgentKind): Promise<ProviderAgent> {
    if (kind === "agent") {
      const { data } = await http.request(
        "get agent",
        { method: "GET", url: `/v2/agents/${pathSegment(id)}` },
        z.object({ data: agentSchema.extend({ environments: z.array(environmentSchema).nullish() }) }),
        { subject: `agent ${id}` },
      );
      return agentOf(data, data.environments ?? (await environments(id)));
    }
    try {
      const { data } = await http.request(
        "get agent",
        { method: "GET", url: `/v1/personas/${pathSegment(id)}` },
        z.object({ data: personaSchema }),
        { subject: `persona ${id}` },
      );
      return personaOf(data);
    } catch (error) {
      // Unknown kind: the id may be a v2 agent's.
      if (kind === undefined && isProviderError(error) && error.kind === "not_found") {
        return getAgent(id, "agent");
      }
      throw error;
    }
  }

  return {
    name: "bland",

    async listNumbers() {
      const [inbound, { byNumber }] = await Promise.all([
        http.request(
          "list numbers",
          { method: "GET", url: "/v1/inbound" },
          z.object({ inbound_numbers: z.array(inboundSchema) }),
        ),
        bindings(),
      ]);
      const splits = await splitsFor(inbound.inbound_numbers, byNumber);
      return inbound.inbound_numbers.map((n) =>
        toNumber(n, byNumber.get(n.phone_number) ?? [], n.pathway_id ? splits.get(n.pathway_id) : null),
      );
    },

    async listAgents() {
      const [personas, agents] = await Promise.all([
        listPersonas("list personas"),
        listV2Agents("list agents"),
      ]);
      const backing = await backingMap(agents);
      const readied = await Promise.all(agents.map(async (a) => agentOf(a, await environments(a.id))));
      // A backing persona is how Bland routes an agent's numbers, not an agent of its own.
      return [...readied, ...personas.filter((p) => !backing.has(p.id)).map(personaOf)];
    },

    getAgent,

    findNumber(e164) {
      return nullIfNotFound(this.getNumber({ providerNumberId: e164, e164 }));
    },

    async getNumber(ref) {
      const [n, { byNumber }] = await Promise.all([
        http.request(
          "get number",
          { method: "GET", url: `/v1/inbound/${pathSegment(ref.e164)}` },
          inboundSchema,
          { subject: ref.e164 },
        ),
        bindings(),
      ]);
      const splits = await splitsFor([n], byNumber);
      return toNumber(n, byNumber.get(n.phone_number) ?? [], n.pathway_id ? splits.get(n.pathway_id) : null);
    },

    async bind(ref, agent) {
      const target: Holder = {
        id: agent.providerAgentId,
        kind: agent.kind === "agent" ? "agent" : "persona",
      };
      const holders = (await bindings()).byNumber.get(ref.e164) ?? [];
      const already = holders.some((h) => h.id === target.id);
      if (already && holders.length === 1) return;
      if (target.kind === "agent") {
        // One call: attaching to an agent replaces any persona or pathway assignment (docs
        // api-v2/post/agents-id-inbound-attach), so a failure leaves the old binding in place.
        await moveAgent("attach", target.id, ref.e164);
        return;
      }
      // A persona takes two calls. Attaching a number another persona holds is undocumented, so
      // free it first; if the attach then fails, the old binding is put back.
      const others = holders.filter((h) => h.id !== target.id);
      const detached: Holder[] = [];
      try {
        for (const holder of others) {
          await move("detach", holder, ref.e164);
          detached.push(holder);
        }
        if (!already) await movePersona("attach", target.id, ref.e164);
      } catch (error) {
        if (detached.length === 0) throw error;
        await restore(ref.e164, detached, target, error);
      }
    },

    async unbind(ref) {
      const holders = (await bindings()).byNumber.get(ref.e164) ?? [];
      for (const holder of holders) await move("detach", holder, ref.e164);
    },

    async checkKey() {
      const me = await http.request(
        "check key",
        { method: "GET", url: "/v1/me" },
        z.object({ status: z.string() }),
      );
      if (me.status.toLowerCase() !== "active") {
        throw accountInactiveError({ provider: "bland", operation: "check key", accountStatus: me.status });
      }
    },

    async placeCall({ from, to, providerAgentId, kind }) {
      const call = await http.request(
        "place call",
        {
          method: "POST",
          url: "/v1/calls",
          data: blandCallBody({ from: from.e164, to, providerAgentId, kind }),
        },
        z.object({ call_id: z.string() }),
        { subject: `${from.e164} or ${kind === "agent" ? "agent" : "persona"} ${providerAgentId}` },
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
