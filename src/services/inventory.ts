// Read side of the inventory: lookups and the filtered choices every picker offers (R4, R5).
import type { Db } from "../db/database";
import type { ListFilter } from "../domain/commandGrammar";
import { quoteUserText } from "../domain/phoneNumber";
import { type Agent, type PhoneNumber, Prisma, type Provider } from "../generated/prisma/client";
import { PROVIDER_LABEL } from "../providers/types";
import { DomainError } from "./errors";

export type NumberWithAgent = PhoneNumber & { agent: Agent | null };

/** What an agent picker shows of an agent. */
export type PickerAgent = Pick<Agent, "id" | "name" | "provider" | "kind" | "published" | "active">;

/** What a number picker shows of a number. */
export type PickerNumber = Pick<PhoneNumber, "id" | "e164" | "provider" | "nickname" | "isProduction"> & {
  agent?: { name: string } | null;
};

/** Slack shows at most 100 options; typeahead narrows the rest. */
export const PICKER_LIMIT = 100;
/** Matches a typed text may gather before they are sorted (see `numbers`). */
const PICKER_CANDIDATES = 1000;

interface PickerRow {
  id: string;
  e164: string;
  provider: string;
  nickname: string | null;
  isProduction: boolean;
  agentName: string | null;
}

/** Typed text inside a LIKE pattern: its own % and _ match themselves. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Typed text as a search term: no control characters (PostgreSQL rejects NUL), bounded length. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

function cleanQuery(query: string): string {
  return query.replace(CONTROL_CHARS, "").trim().slice(0, 100);
}

export class InventoryService {
  private readonly providers = new Map<string, Provider>();

  constructor(
    private readonly db: Db,
    private readonly enabledProviders: () => Provider[],
  ) {}

  async numberByE164(e164: string): Promise<NumberWithAgent> {
    const number = await this.db.phoneNumber.findFirst({
      where: { e164, goneAt: null },
      include: { agent: true },
    });
    if (!number) {
      throw new DomainError(
        "unknown_number",
        `${e164} is not in any connected provider account. Check the number, or run \`/numbers sync\` if it was bought in the last few minutes.`,
        "number",
      );
    }
    return number;
  }

  async numberById(id: string): Promise<NumberWithAgent> {
    const number = await this.db.phoneNumber.findUnique({ where: { id }, include: { agent: true } });
    if (!number)
      throw new DomainError("unknown_number", "That number is no longer in the inventory.", "number");
    return number;
  }

  /**
   * The provider of an agent or a number, for filtering pickers. A row never changes provider,
   * so the answer is cached for the process: typeahead then costs one query, not three.
   */
  async providerOf(kind: "agent" | "number", id: string): Promise<Provider | undefined> {
    const key = `${kind}:${id}`;
    const cached = this.providers.get(key);
    if (cached) return cached;
    const row =
      kind === "agent"
        ? await this.db.agent.findUnique({ where: { id }, select: { provider: true } })
        : await this.db.phoneNumber.findUnique({ where: { id }, select: { provider: true } });
    if (!row) return undefined;
    if (this.providers.size > 10_000) this.providers.clear();
    this.providers.set(key, row.provider);
    return row.provider;
  }

  async agentById(id: string): Promise<Agent> {
    const agent = await this.db.agent.findUnique({ where: { id } });
    if (!agent) throw new DomainError("unknown_agent", "That agent is no longer in the inventory.", "agent");
    return agent;
  }

  /**
   * Finds an agent typed by provider id or name. `provider` narrows to the number's provider; a
   * name that exists only at another provider is returned so the rules can explain the mismatch.
   */
  async resolveAgent(
    query: string,
    provider?: Provider,
  ): Promise<{ kind: "found"; agent: Agent } | { kind: "ambiguous"; candidates: Agent[] }> {
    query = cleanQuery(query);
    const live = { goneAt: null };
    const byId = await this.db.agent.findMany({ where: { ...live, providerAgentId: query } });
    const pick = (agents: Agent[]) => {
      const same = provider ? agents.filter((a) => a.provider === provider) : agents;
      return same.length ? same : agents;
    };
    const ids = pick(byId);
    if (ids.length === 1) return { kind: "found", agent: ids[0]! };
    const byName = pick(
      await this.db.agent.findMany({
        where: { ...live, name: { equals: query, mode: "insensitive" } },
        take: 20,
      }),
    );
    if (byName.length === 1) return { kind: "found", agent: byName[0]! };
    if (byName.length > 1) return { kind: "ambiguous", candidates: byName };
    const partial = pick(
      await this.db.agent.findMany({
        where: { ...live, name: { contains: query, mode: "insensitive" } },
        orderBy: { name: "asc" },
        take: 20,
      }),
    );
    if (partial.length === 1) return { kind: "found", agent: partial[0]! };
    if (partial.length > 1) return { kind: "ambiguous", candidates: partial };
    const where = provider ? ` among ${PROVIDER_LABEL[provider]} agents` : "";
    throw new DomainError(
      "unknown_agent",
      `No agent called ${quoteUserText(query)}${where}. Type its exact name or provider id, or pick it in the modal (\`/assign-number\`).`,
      "agent",
    );
  }

  /** R5: agents offered for a number = live agents of the number's provider. */
  agentsForNumber(number: { provider: Provider }, query: string): Promise<PickerAgent[]> {
    return this.agents(query, [number.provider]);
  }

  /** Agents of every enabled provider (no number chosen yet). */
  agentsForPicker(query: string): Promise<PickerAgent[]> {
    return this.agents(query, this.enabledProviders());
  }

  /** R5: numbers offered for an agent = free, live numbers of the agent's provider. */
  freeNumbersForAgent(agent: { provider: Provider }, query: string): Promise<PickerNumber[]> {
    // Free numbers have no agent to load: one query instead of two on the hottest picker.
    return this.numbers(query, { providers: [agent.provider], agent: "free" }, false);
  }

  /** Numbers of every enabled provider (no agent chosen yet): assigning an assigned one is a reassignment. */
  numbersForPicker(query: string, only: "all" | "assigned" = "all"): Promise<PickerNumber[]> {
    return this.numbers(query, {
      providers: this.enabledProviders(),
      ...(only === "assigned" ? { agent: "assigned" as const } : {}),
    });
  }

  /** Paginated inventory for `/numbers list`. */
  async list(filter: ListFilter, page: number, pageSize = 30) {
    const where = {
      goneAt: null,
      ...(filter === "free" ? { agentId: null } : {}),
      ...(filter === "assigned" ? { agentId: { not: null } } : {}),
      ...(filter === "unrouted" ? { agentId: null, isSpare: false } : {}),
      ...(filter === "retell" || filter === "vapi" || filter === "bland" ? { provider: filter } : {}),
    };
    const [total, numbers] = await Promise.all([
      this.db.phoneNumber.count({ where }),
      this.db.phoneNumber.findMany({
        where,
        include: { agent: true },
        orderBy: [{ isProduction: "desc" }, { provider: "asc" }, { e164: "asc" }],
        skip: (page - 1) * pageSize,
        take: pageSize,
      }),
    ]);
    return { total, numbers, pages: Math.max(1, Math.ceil(total / pageSize)) };
  }

  private agents(query: string, providers: Provider[]): Promise<PickerAgent[]> {
    const q = cleanQuery(query);
    return this.db.agent.findMany({
      where: {
        provider: { in: providers },
        goneAt: null,
        ...(q
          ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { providerAgentId: { startsWith: q } }] }
          : {}),
      },
      select: { id: true, name: true, provider: true, kind: true, published: true, active: true },
      orderBy: [{ provider: "asc" }, { name: "asc" }],
      take: PICKER_LIMIT,
    });
  }

  /**
   * The picker's numbers, in SQL written for the indexes (see the typeahead_indexes migration):
   * no text → the first numbers in (provider, e164) order, an ordered index scan that stops at 100;
   * text → at most PICKER_CANDIDATES matches found through the trigram indexes (or a prefix index for
   * one or two letters), then sorted. Beyond that many matches the user sees 100 of them and narrows
   * by typing more: the planner can then never walk the whole table to fill one menu.
   */
  private async numbers(
    query: string,
    filter: { providers: Provider[]; agent?: "free" | "assigned" },
    withAgent = true,
  ): Promise<PickerNumber[]> {
    if (filter.providers.length === 0) return [];
    const digits = query.replace(/[^\d]/g, "");
    const text = cleanQuery(query);
    const conditions = [
      Prisma.sql`"provider" IN (${Prisma.join(filter.providers.map((p) => Prisma.sql`${p}::"Provider"`))})`,
      Prisma.sql`"goneAt" IS NULL`,
      ...(filter.agent === "free" ? [Prisma.sql`"agentId" IS NULL`] : []),
      ...(filter.agent === "assigned" ? [Prisma.sql`"agentId" IS NOT NULL`] : []),
    ];
    const matches = [
      ...(digits ? [Prisma.sql`"e164" LIKE ${`%${likeEscape(digits)}%`}`] : []),
      ...(text.length >= 3 ? [Prisma.sql`"nickname" ILIKE ${`%${likeEscape(text)}%`}`] : []),
      ...(text && text.length < 3 && !digits
        ? [Prisma.sql`lower("nickname") LIKE ${`${likeEscape(text.toLowerCase())}%`}`]
        : []),
    ];
    const where = Prisma.join(
      text ? [...conditions, Prisma.sql`(${Prisma.join(matches, " OR ")})`] : conditions,
      " AND ",
    );
    const candidates = text
      ? Prisma.sql`(SELECT * FROM "PhoneNumber" WHERE ${where} LIMIT ${PICKER_CANDIDATES})`
      : Prisma.sql`(SELECT * FROM "PhoneNumber" WHERE ${where})`;
    const rows = await this.db.$queryRaw<PickerRow[]>`
      SELECT n."id", n."e164", n."provider"::text AS "provider", n."nickname", n."isProduction",
             ${withAgent ? Prisma.sql`a."name"` : Prisma.sql`NULL`} AS "agentName"
      FROM ${candidates} n
      ${withAgent ? Prisma.sql`LEFT JOIN "Agent" a ON a."id" = n."agentId"` : Prisma.empty}
      ORDER BY n."provider", n."e164"
      LIMIT ${PICKER_LIMIT}`;
    return rows.map(({ agentName, ...row }) => ({
      ...row,
      provider: row.provider as Provider,
      ...(withAgent ? { agent: agentName === null ? null : { name: agentName } } : {}),
    }));
  }
}
