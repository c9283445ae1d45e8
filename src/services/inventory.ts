// Read side of the inventory: lookups and the filtered choices every picker offers (R4, R5).
import type { Db } from "../db/database";
import type { ListFilter } from "../domain/commandGrammar";
import { parsePhoneNumber, quoteUserText } from "../domain/phoneNumber";
import { PROVIDER_LABEL, type ProviderName } from "../domain/providers";
import { type Agent, type PhoneNumber, Prisma, type Provider } from "../generated/prisma/client";
import type { Logger } from "../logger";
import type { ProviderRegistry } from "../providers/registry";
import { DomainError } from "./errors";
import type { AgentRefresh, InventorySync } from "./inventorySync";
import { cleanQuery, type NumberFilter, type PickerIndex, pickerTerms } from "./pickerIndex";
import type { NumberSummary, PickerAgent, PickerNumber } from "./ports";

export type NumberWithAgent = PhoneNumber & { agent: Agent | null };

export type { NumberSummary, PickerAgent, PickerNumber } from "./ports";

export function toNumberSummary(n: NumberWithAgent): NumberSummary {
  return { ...toPickerNumber(n), agent: n.agent ? { name: n.agent.name } : null, isSpare: n.isSpare };
}

/** A number as a picker shows it. */
export function toPickerNumber(n: NumberWithAgent): PickerNumber {
  return {
    id: n.id,
    e164: n.e164,
    provider: n.provider,
    nickname: n.nickname,
    isProduction: n.isProduction,
    agent: n.agent ? { name: n.agent.name } : null,
  };
}

/** An agent as a picker shows it. */
export function toPickerAgent(a: Agent): PickerAgent {
  return {
    id: a.id,
    name: a.name,
    provider: a.provider,
    kind: a.kind,
    published: a.published,
    active: a.active,
  };
}

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

/** Typed text inside a LIKE pattern (ours, or Prisma's `contains`): its own % and _ match themselves. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type ResolvedAgent = { kind: "found"; agent: Agent } | { kind: "ambiguous"; candidates: Agent[] };

/** "Not found", saying which providers were asked and which could not be. */
function notFoundMessage(e164: string, asked: ProviderName[], failures: Map<ProviderName, string>): string {
  const label = (names: ProviderName[]) => names.map((n) => PROVIDER_LABEL[n]).join(", ");
  if (asked.length === 0) {
    return `${e164} is not in Switchboard's inventory, and no provider is connected to look it up: set RETELL_API_KEY, VAPI_API_KEY or BLAND_API_KEY and restart.`;
  }
  if (failures.size === 0) {
    return `${e164} is not in any connected provider account (${label(asked)} asked just now). Check the number: it must be bought in one of these accounts.`;
  }
  const answered = asked.filter((n) => !failures.has(n));
  const couldNot = [...failures].map(([n, message]) => `${PROVIDER_LABEL[n]}: ${message}`).join("; ");
  return `${e164} is not in Switchboard's inventory${
    answered.length ? `, and ${label(answered)} ${answered.length === 1 ? "does" : "do"} not have it` : ""
  }. It may be in an account that could not be asked just now (${couldNot}). Try again in a minute, or run \`/numbers sync\`.`;
}

/** What first contact needs: the provider clients, and sync's way of recording what they report. */
export interface LiveLookup {
  providers: ProviderRegistry;
  sync: Pick<InventorySync, "importNumber" | "refreshAgents">;
  logger: Logger;
  /** For reading a whole number typed into a picker. */
  defaultRegion: string;
}

/** Typeahead: how much of Slack's 3 s a refresh of the provider's agents may take, and how often. */
const TYPEAHEAD_REFRESH_BUDGET_MS = 1500;
const TYPEAHEAD_REFRESH_INTERVAL_MS = 30_000;

export class InventoryService {
  private readonly providers = new Map<string, Provider>();
  private readonly lastTypeaheadRefresh = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly enabledProviders: () => Provider[],
    /** Without it, only the database is consulted (a number bought since the last sync is unknown). */
    private readonly live?: LiveLookup,
    /** The pickers' in-memory copy, when current (pickerIndexCache.ts); else typeahead reads SQL. */
    private readonly index?: { current(): PickerIndex | undefined },
  ) {}

  /**
   * The number with this E.164. One the database does not know yet (bought since the last sync, or
   * this replica's first sync still running) is looked up live at every connected provider,
   * recorded, and returned. Only a number no provider has is "not in any connected account".
   */
  async numberByE164(e164: string): Promise<NumberWithAgent> {
    const find = () =>
      this.db.phoneNumber.findFirst({ where: { e164, goneAt: null }, include: { agent: true } });
    const known = await find();
    if (known) return known;
    if (!this.live) {
      throw new DomainError(
        "unknown_number",
        `${e164} is not in any connected provider account. Check the number, or run \`/numbers sync\` if it was bought in the last few minutes.`,
        "number",
      );
    }
    const failures = await this.lookUpLive(e164, this.live);
    const imported = await find();
    if (imported) return imported;
    throw new DomainError(
      "unknown_number",
      notFoundMessage(e164, [...this.live.providers.keys()], failures),
      "number",
    );
  }

  /** Asks every enabled provider at once; records what they have. Returns the providers that could not answer. */
  private async lookUpLive(e164: string, live: LiveLookup): Promise<Map<ProviderName, string>> {
    const failures = new Map<ProviderName, string>();
    await Promise.all(
      [...live.providers.values()].map(async (provider) => {
        try {
          const found = await provider.findNumber(e164);
          if (found) await live.sync.importNumber(provider, found);
        } catch (error) {
          // One provider failing must not hide another's answer: note it and carry on.
          live.logger.warn({ provider: provider.name, e164, err: error }, "live number lookup failed");
          failures.set(provider.name, error instanceof Error ? error.message : String(error));
        }
      }),
    );
    return failures;
  }

  /** The number with this E.164 (looked up live if need be), as the modal and pickers show it. */
  async numberChoice(e164: string): Promise<PickerNumber> {
    return toPickerNumber(await this.numberByE164(e164));
  }

  /** The number with this id, as the modal and pickers show it. */
  async numberChoiceById(id: string): Promise<PickerNumber> {
    return toPickerNumber(await this.numberById(id));
  }

  /** The modal's current picks, as it shows them; a pick no longer in the inventory is dropped. */
  async choices(
    numberId?: string,
    agentId?: string,
  ): Promise<{ number?: PickerNumber; agent?: PickerAgent }> {
    const [number, agent] = await Promise.all([
      numberId ? this.numberById(numberId).then(toPickerNumber, () => undefined) : undefined,
      agentId ? this.agentById(agentId).then(toPickerAgent, () => undefined) : undefined,
    ]);
    return { ...(number ? { number } : {}), ...(agent ? { agent } : {}) };
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
  async resolveAgent(query: string, provider?: Provider): Promise<ResolvedAgent> {
    const first = await this.findAgent(query, provider);
    if (first || !this.live) return first ?? this.noSuchAgent(query, provider, []);
    // Not known here: maybe created at the provider since the last sync. Read its agents again, once.
    const refreshed = await this.live.sync.refreshAgents(provider);
    return (await this.findAgent(query, provider)) ?? this.noSuchAgent(query, provider, refreshed);
  }

  private noSuchAgent(query: string, provider: Provider | undefined, refreshed: AgentRefresh[]): never {
    const where = provider ? ` among ${PROVIDER_LABEL[provider]} agents` : "";
    const failed = refreshed.filter((r) => !r.ok);
    const unasked = failed.length
      ? ` ${failed.map((r) => PROVIDER_LABEL[r.provider]).join(" and ")} could not be asked just now (${failed
          .map((r) => r.error)
          .join("; ")}), so the agent may exist there: try again in a minute.`
      : "";
    const checked = refreshed.some((r) => r.ok) ? " (checked with the provider just now)" : "";
    throw new DomainError(
      "unknown_agent",
      `No agent called ${quoteUserText(cleanQuery(query))}${where}${checked}.${unasked} Type its exact name or provider id, or pick it in the modal (\`/assign-number\`).`,
      "agent",
    );
  }

  /** By provider id, exact name, then partial name; undefined when nothing matches. */
  private async findAgent(query: string, provider?: Provider): Promise<ResolvedAgent | undefined> {
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
        where: { ...live, name: { equals: likeEscape(query), mode: "insensitive" } },
        take: 20,
      }),
    );
    if (byName.length === 1) return { kind: "found", agent: byName[0]! };
    if (byName.length > 1) return { kind: "ambiguous", candidates: byName };
    const partial = pick(
      await this.db.agent.findMany({
        where: { ...live, name: { contains: likeEscape(query), mode: "insensitive" } },
        orderBy: { name: "asc" },
        take: 20,
      }),
    );
    if (partial.length === 1) return { kind: "found", agent: partial[0]! };
    if (partial.length > 1) return { kind: "ambiguous", candidates: partial };
    return undefined;
  }

  /** R5: agents offered for a number = live agents of the number's provider. */
  agentsForNumber(number: { provider: Provider }, query: string): Promise<PickerAgent[]> {
    return this.agentsOrRefreshed(query, [number.provider], number.provider);
  }

  /** Agents of every enabled provider (no number chosen yet). */
  agentsForPicker(query: string): Promise<PickerAgent[]> {
    return this.agentsOrRefreshed(query, this.enabledProviders(), undefined);
  }

  /**
   * Typeahead that matches no agent may be looking for one created since the last sync: read the
   * provider's agents again, within a budget that keeps the reply inside Slack's 3 s (a slower
   * refresh still lands, for the next keystroke), and at most once per provider per interval so
   * typing does not call the provider on every key.
   */
  private async agentsOrRefreshed(
    query: string,
    providers: Provider[],
    only: Provider | undefined,
  ): Promise<PickerAgent[]> {
    const found = await this.agents(query, providers);
    if (found.length || !this.live || !cleanQuery(query)) return found;
    const live = this.live;
    const outcome = await this.withinBudget(`agents:${only ?? "all"}`, () => live.sync.refreshAgents(only));
    return outcome === "done" ? this.agents(query, providers) : found;
  }

  /** R5: numbers offered for an agent = free, live numbers of the agent's provider. */
  freeNumbersForAgent(agent: { provider: Provider }, query: string): Promise<PickerNumber[]> {
    // Free numbers have no agent to load: one query instead of two on the hottest picker.
    return this.numbersOrLookedUp(query, () =>
      this.numbers(query, { providers: [agent.provider], agent: "free" }, false),
    );
  }

  /** Numbers of every enabled provider (no agent chosen yet): assigning an assigned one is a reassignment. */
  numbersForPicker(query: string, only: "all" | "assigned" = "all"): Promise<PickerNumber[]> {
    return this.numbersOrLookedUp(query, () =>
      this.numbers(query, {
        providers: this.enabledProviders(),
        ...(only === "assigned" ? { agent: "assigned" as const } : {}),
      }),
    );
  }

  /**
   * Typeahead of a whole phone number that matches nothing: it may have been bought since the last
   * sync. Look it up live (once per number per interval), within the typeahead budget.
   */
  private async numbersOrLookedUp(
    query: string,
    run: () => Promise<PickerNumber[]>,
  ): Promise<PickerNumber[]> {
    const found = await run();
    if (found.length || !this.live) return found;
    const parsed = parsePhoneNumber(cleanQuery(query), this.live.defaultRegion);
    if (!parsed.ok) return found;
    const live = this.live;
    const outcome = await this.withinBudget(`number:${parsed.e164}`, () =>
      this.lookUpLive(parsed.e164, live),
    );
    return outcome === "done" ? run() : found;
  }

  /** Runs `work` unless it ran for `key` within the interval; waits for it at most the typeahead budget. */
  private async withinBudget(
    key: string,
    work: () => Promise<unknown>,
  ): Promise<"done" | "skipped" | "late"> {
    const now = Date.now();
    if (now - (this.lastTypeaheadRefresh.get(key) ?? 0) < TYPEAHEAD_REFRESH_INTERVAL_MS) return "skipped";
    if (this.lastTypeaheadRefresh.size > 10_000) this.lastTypeaheadRefresh.clear();
    this.lastTypeaheadRefresh.set(key, now);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), TYPEAHEAD_REFRESH_BUDGET_MS);
    });
    const running = work().then(
      () => "done" as const,
      (error: unknown) => {
        this.live?.logger.warn({ err: error, key }, "typeahead refresh failed");
        return "done" as const;
      },
    );
    return Promise.race([running, budget]).finally(() => clearTimeout(timer));
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
    return { total, numbers: numbers.map(toNumberSummary), pages: Math.max(1, Math.ceil(total / pageSize)) };
  }

  private async agents(query: string, providers: Provider[]): Promise<PickerAgent[]> {
    const index = this.index?.current();
    if (index) return index.searchAgents(query, providers, PICKER_LIMIT);
    // Prisma puts `contains` and `startsWith` into LIKE patterns without escaping % and _.
    const q = likeEscape(cleanQuery(query));
    return this.db.agent.findMany({
      where: {
        provider: { in: providers },
        goneAt: null,
        ...(q
          ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { providerAgentId: { startsWith: q } }] }
          : {}),
      },
      select: { id: true, name: true, provider: true, kind: true, published: true, active: true },
      orderBy: [{ provider: "asc" }, { name: "asc" }, { id: "asc" }],
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
  private async numbers(query: string, filter: NumberFilter, withAgent = true): Promise<PickerNumber[]> {
    if (filter.providers.length === 0) return [];
    const terms = pickerTerms(query);
    const index = this.index?.current();
    if (index) return index.searchNumbers(terms, filter, PICKER_LIMIT, withAgent);
    const { digits, text } = terms;
    const conditions = [
      Prisma.sql`"provider" IN (${Prisma.join(filter.providers.map((p) => Prisma.sql`${p}::"Provider"`))})`,
      Prisma.sql`"goneAt" IS NULL`,
      ...(filter.agent === "free" ? [Prisma.sql`"agentId" IS NULL`] : []),
      ...(filter.agent === "assigned" ? [Prisma.sql`"agentId" IS NOT NULL`] : []),
    ];
    const matches = [
      ...(digits ? [Prisma.sql`"e164" LIKE ${`%${likeEscape(digits)}%`}`] : []),
      ...(terms.nickname === "anywhere" ? [Prisma.sql`"nickname" ILIKE ${`%${likeEscape(text)}%`}`] : []),
      ...(terms.nickname === "start"
        ? [Prisma.sql`lower("nickname") LIKE ${`${likeEscape(text.toLowerCase())}%`}`]
        : []),
    ];
    const where = Prisma.join(
      text ? [...conditions, Prisma.sql`(${Prisma.join(matches, " OR ")})`] : conditions,
      " AND ",
    );
    const columns = Prisma.sql`"id", "e164", "provider", "nickname", "isProduction", "agentId"`;
    const candidates = text
      ? Prisma.sql`(SELECT ${columns} FROM "PhoneNumber" WHERE ${where} LIMIT ${PICKER_CANDIDATES})`
      : Prisma.sql`(SELECT ${columns} FROM "PhoneNumber" WHERE ${where})`;
    // The agent's name is joined to the 100 rows shown, not to every candidate.
    const rows = await this.db.$queryRaw<PickerRow[]>`
      SELECT n."id", n."e164", n."provider"::text AS "provider", n."nickname", n."isProduction",
             ${withAgent ? Prisma.sql`a."name"` : Prisma.sql`NULL`} AS "agentName"
      FROM (SELECT ${columns} FROM ${candidates} c ORDER BY "provider", "e164" LIMIT ${PICKER_LIMIT}) n
      ${withAgent ? Prisma.sql`LEFT JOIN "Agent" a ON a."id" = n."agentId"` : Prisma.empty}
      ORDER BY n."provider", n."e164"`;
    return rows.map(({ agentName, ...row }) => ({
      ...row,
      provider: row.provider as Provider,
      ...(withAgent ? { agent: agentName === null ? null : { name: agentName } } : {}),
    }));
  }
}
