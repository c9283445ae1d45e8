// What a picker's typed text matches, and an in-memory index that answers it. The same terms drive
// the SQL fallback (InventoryService.numbers/agents), so both answer alike: digits anywhere in the
// number; text anywhere in a nickname (three letters or more) or at its start (one or two); text
// anywhere in an agent's name or at the start of its provider id. Nothing here touches a database.
import type { ProviderName } from "../domain/providers";
import type { PickerAgent, PickerNumber } from "./ports";

/** Typed text as a search term: no control characters (PostgreSQL rejects NUL), bounded length. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

export function cleanQuery(query: string): string {
  return query.replace(CONTROL_CHARS, "").trim().slice(0, 100);
}

export interface PickerTerms {
  /** The typed text, cleaned; empty = match everything. */
  text: string;
  /** Its digits, matched anywhere in the E.164 (however the number was typed). */
  digits: string;
  /** How the text matches a nickname: too short for "anywhere" means "at the start". */
  nickname: "anywhere" | "start" | "no";
}

export function pickerTerms(query: string): PickerTerms {
  const text = cleanQuery(query);
  const digits = text.replace(/[^\d]/g, "");
  const nickname = text.length >= 3 ? "anywhere" : text && !digits ? "start" : "no";
  return { text, digits, nickname };
}

export interface NumberFilter {
  providers: readonly ProviderName[];
  agent?: "free" | "assigned";
}

/** A number as loaded for the index: what a picker shows, plus whether it has an agent. */
export interface IndexedNumberRow {
  id: string;
  e164: string;
  provider: ProviderName;
  nickname: string | null;
  isProduction: boolean;
  agentName: string | null;
  assigned: boolean;
}

/** A live agent as loaded for the index. */
export interface IndexedAgentRow extends PickerAgent {
  providerAgentId: string;
}

interface IndexedAgent extends IndexedAgentRow {
  nameLower: string;
}

/**
 * Values of one column joined into a single string, each preceded by a newline (typed text never
 * holds one: cleanQuery drops control characters). One `indexOf` over it finds the next row that
 * contains a text, or starts with it: V8 searches a long string far faster than it calls
 * `includes` on 100,000 short ones.
 */
class Haystack {
  private readonly text: string;
  /** Where each row's value starts in `text`. */
  private readonly starts: Int32Array;

  constructor(values: string[]) {
    this.starts = new Int32Array(values.length);
    let offset = 1;
    values.forEach((value, row) => {
      this.starts[row] = offset;
      offset += value.length + 1;
    });
    this.text = `\n${values.join("\n")}`;
  }

  /** The first row at or after `from` whose value contains `needle` (or starts with it); -1 if none. */
  next(needle: string, from: number, atStart: boolean): number {
    if (from >= this.starts.length) return -1;
    const at = atStart
      ? this.text.indexOf(`\n${needle}`, this.starts[from]! - 1) + 1
      : this.text.indexOf(needle, this.starts[from]!);
    return at <= 0 ? -1 : this.rowAt(at);
  }

  private rowAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

/** Numbers of one provider (all of them, or only free, or only assigned), searchable. */
class NumberList {
  readonly rows: IndexedNumberRow[] = [];
  private digits: Haystack | undefined;
  private nicknames: Haystack | undefined;

  /** Built on first search: most lists are only ever read with nothing typed. */
  private haystacks(): { digits: Haystack; nicknames: Haystack } {
    this.digits ??= new Haystack(this.rows.map((n) => n.e164));
    this.nicknames ??= new Haystack(this.rows.map((n) => n.nickname?.toLowerCase() ?? ""));
    return { digits: this.digits, nicknames: this.nicknames };
  }

  /** Rows matching the terms, in order (the caller stops when it has enough). */
  *matching(terms: PickerTerms): Generator<IndexedNumberRow> {
    if (!terms.text) {
      yield* this.rows;
      return;
    }
    const { digits, nicknames } = this.haystacks();
    const lowered = terms.text.toLowerCase();
    const atStart = terms.nickname === "start";
    const nextDigit = (from: number) => (terms.digits ? digits.next(terms.digits, from, false) : -1);
    const nextNickname = (from: number) =>
      terms.nickname === "no" ? -1 : nicknames.next(lowered, from, atStart);
    let digit = nextDigit(0);
    let nickname = nextNickname(0);
    // Two ascending streams of matching rows, merged: a row matching both is yielded once.
    while (digit >= 0 || nickname >= 0) {
      const row = digit < 0 ? nickname : nickname < 0 ? digit : Math.min(digit, nickname);
      yield this.rows[row]!;
      if (digit === row) digit = nextDigit(row + 1);
      if (nickname === row) nickname = nextNickname(row + 1);
    }
  }
}

/**
 * Every live number and agent, in the order the pickers show them (rows arrive sorted by the
 * database, so its collation decides order). A search stops at `limit` matches; one that matches
 * nothing among 100,000 numbers costs a few string searches, not 100,000 comparisons.
 */
export class PickerIndex {
  /** Each provider's numbers, all and split by agent, in the database's order (providers too). */
  private readonly numbers = new Map<ProviderName, Record<"all" | "free" | "assigned", NumberList>>();
  /** Each provider's live agents, in the database's order. */
  private readonly agents = new Map<ProviderName, IndexedAgent[]>();

  constructor(numbers: IndexedNumberRow[], agents: IndexedAgentRow[]) {
    for (const n of numbers) {
      let group = this.numbers.get(n.provider);
      if (!group) {
        group = { all: new NumberList(), free: new NumberList(), assigned: new NumberList() };
        this.numbers.set(n.provider, group);
      }
      group.all.rows.push(n);
      group[n.assigned ? "assigned" : "free"].rows.push(n);
    }
    for (const a of agents) {
      const list = this.agents.get(a.provider) ?? [];
      if (!list.length) this.agents.set(a.provider, list);
      list.push({ ...a, nameLower: a.name.toLowerCase() });
    }
  }

  get size(): { numbers: number; agents: number } {
    let numbers = 0;
    for (const group of this.numbers.values()) numbers += group.all.rows.length;
    let agents = 0;
    for (const list of this.agents.values()) agents += list.length;
    return { numbers, agents };
  }

  searchNumbers(terms: PickerTerms, filter: NumberFilter, limit: number, withAgent = true): PickerNumber[] {
    const found: PickerNumber[] = [];
    for (const [provider, group] of this.numbers) {
      if (!filter.providers.includes(provider)) continue;
      for (const n of group[filter.agent ?? "all"].matching(terms)) {
        if (found.length >= limit) return found;
        const { id, e164, nickname, isProduction } = n;
        found.push(
          withAgent
            ? {
                id,
                e164,
                provider,
                nickname,
                isProduction,
                agent: n.agentName === null ? null : { name: n.agentName },
              }
            : { id, e164, provider, nickname, isProduction },
        );
      }
    }
    return found;
  }

  searchAgents(query: string, providers: readonly ProviderName[], limit: number): PickerAgent[] {
    const text = cleanQuery(query);
    const lowered = text.toLowerCase();
    const found: PickerAgent[] = [];
    for (const [provider, list] of this.agents) {
      if (!providers.includes(provider)) continue;
      for (const a of list) {
        if (found.length >= limit) return found;
        if (text && !a.nameLower.includes(lowered) && !a.providerAgentId.startsWith(text)) continue;
        const { id, name, kind, published, active } = a;
        found.push({ id, name, provider, kind, published, active });
      }
    }
    return found;
  }
}
