// Keeps the pickers' in-memory index (pickerIndex.ts) exactly as current as the database, or
// offers none. The database announces every committed change to numbers and agents (a trigger's
// NOTIFY, from any replica or from psql; see the picker_change_notifications migration); a change
// retires the index at once and typeahead answers from SQL until a fresh copy is loaded. The copy
// is loaded on demand, so a process nobody types into keeps no index and makes no extra queries.
import type { Db } from "../db/database";
import type { ProviderName } from "../domain/providers";
import { Prisma } from "../generated/prisma/client";
import type { Logger } from "../logger";
import { type IndexedAgentRow, type IndexedNumberRow, PickerIndex } from "./pickerIndex";
import type { InventoryChanges } from "./ports";

/** A listening connection can die without a word (a half-open TCP socket): never trust a copy longer. */
const MAX_AGE_MS = 60_000;
/** Numbers read per query while loading. */
const PAGE_SIZE = 5_000;
/** After a failed load or a lost connection, typeahead uses SQL at least this long before retrying. */
const RETRY_AFTER_MS = 5_000;

interface NumberRow extends Omit<IndexedNumberRow, "provider" | "assigned"> {
  provider: string;
  agentId: string | null;
}

export class PickerIndexCache {
  private index: PickerIndex | undefined;
  private builtAt = 0;
  /** Bumped by every change: a load that started before it is not current. */
  private generation = 0;
  private loading: Promise<void> | undefined;
  private stopFollowing: (() => Promise<void>) | undefined;
  private retryAt = 0;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly changes: InventoryChanges,
    private readonly logger: Logger,
    private readonly options: { now?: () => number; pageSize?: number } = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The index if it reflects every committed change; otherwise undefined, and a fresh copy is loaded. */
  current(): PickerIndex | undefined {
    if (this.index && this.stopFollowing && this.now() - this.builtAt < MAX_AGE_MS) return this.index;
    this.index = undefined;
    void this.load();
    return undefined;
  }

  /** Loads a copy now (unless one is current) and waits for it (tests; `current()` never waits). */
  async warm(): Promise<PickerIndex | undefined> {
    const current = this.current();
    if (current) return current;
    await this.load();
    return this.index;
  }

  /** Something changed: stop offering the copy (the database's NOTIFY says the same, a moment later). */
  invalidate(): void {
    this.generation++;
    this.index = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.invalidate();
    await this.loading?.catch(() => undefined);
    await this.stopFollowing?.();
    this.stopFollowing = undefined;
  }

  private load(): Promise<void> {
    if (this.closed || this.now() < this.retryAt) return Promise.resolve();
    this.loading ??= this.loadOnce().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async loadOnce(): Promise<void> {
    try {
      // Listen first: a change committed after LISTEN and before the read below retires the copy.
      if (!this.stopFollowing) await this.follow();
      const generation = this.generation;
      const started = this.now();
      const [numbers, agents] = await Promise.all([this.readNumbers(), this.readAgents()]);
      if (generation !== this.generation || this.closed || !this.stopFollowing) return;
      this.index = new PickerIndex(numbers, agents);
      this.builtAt = started;
      this.logger.debug({ ...this.index.size, ms: this.now() - started }, "picker index loaded");
    } catch (error) {
      this.retryAt = this.now() + RETRY_AFTER_MS;
      this.logger.warn({ err: error }, "picker index not loaded: typeahead reads the database");
    }
  }

  private async follow(): Promise<void> {
    const stop = await this.changes.follow({
      onChange: () => this.invalidate(),
      onLost: (error) => {
        this.stopFollowing = undefined;
        this.retryAt = this.now() + RETRY_AFTER_MS;
        this.invalidate();
        this.logger.warn(
          { err: error },
          "lost the database's change notifications: typeahead reads the database",
        );
      },
    });
    if (this.closed) await stop();
    else this.stopFollowing = stop;
  }

  /**
   * Live numbers in picker order, a page at a time (keyset on the unique provider+e164): 100,000
   * rows in one result would briefly cost several times the index itself, and PGlite's WebAssembly
   * heap keeps whatever it once held. Pages may see different commits; each such commit's NOTIFY
   * retires the copy, as for any change after a load.
   */
  private async readNumbers(): Promise<IndexedNumberRow[]> {
    const numbers: IndexedNumberRow[] = [];
    const pageSize = this.options.pageSize ?? PAGE_SIZE;
    // Thousands of numbers share a few hundred agent names: keep one copy of each.
    const names = new Map<string, string>();
    const shared = (name: string) => {
      const known = names.get(name);
      if (known !== undefined) return known;
      names.set(name, name);
      return name;
    };
    let after: { provider: string; e164: string } | undefined;
    for (;;) {
      const rows: NumberRow[] = await this.db.$queryRaw<NumberRow[]>`
        SELECT n."id", n."e164", n."provider"::text AS "provider", n."nickname", n."isProduction",
               n."agentId", a."name" AS "agentName"
        FROM "PhoneNumber" n LEFT JOIN "Agent" a ON a."id" = n."agentId"
        WHERE n."goneAt" IS NULL
          ${after ? Prisma.sql`AND (n."provider", n."e164") > (${after.provider}::"Provider", ${after.e164})` : Prisma.empty}
        ORDER BY n."provider", n."e164"
        LIMIT ${pageSize}`;
      for (const row of rows) {
        // A literal of one shape (not a spread): V8 then stores each row compactly.
        numbers.push({
          id: row.id,
          e164: row.e164,
          provider: row.provider as ProviderName,
          nickname: row.nickname,
          isProduction: row.isProduction,
          agentName: row.agentName === null ? null : shared(row.agentName),
          assigned: row.agentId !== null,
        });
      }
      if (rows.length < pageSize) return numbers;
      after = rows[rows.length - 1]!;
    }
  }

  private readAgents(): Promise<IndexedAgentRow[]> {
    return this.db.agent.findMany({
      where: { goneAt: null },
      select: {
        id: true,
        name: true,
        provider: true,
        kind: true,
        published: true,
        active: true,
        providerAgentId: true,
      },
      orderBy: [{ provider: "asc" }, { name: "asc" }, { id: "asc" }],
    });
  }
}
