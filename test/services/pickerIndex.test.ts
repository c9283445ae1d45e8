// The in-memory picker index on its own: it must answer exactly as a plain filter over the rows
// would (the SQL path's rules, see pickerSearch.test.ts for both against a database).
import { describe, expect, it } from "vitest";
import type { ProviderName } from "../../src/domain/providers";
import {
  type IndexedAgentRow,
  type IndexedNumberRow,
  type NumberFilter,
  PickerIndex,
  type PickerTerms,
  pickerTerms,
} from "../../src/services/pickerIndex";

const PROVIDERS: ProviderName[] = ["retell", "vapi", "bland"];

/** A deterministic pseudo-random inventory: numbers sorted as the database sends them. */
function inventory(count: number): IndexedNumberRow[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const nicknames = ["Main line", "Support", "SALES east", "Überweisung", "line 2", "Night desk", "100%_off"];
  const rows = Array.from({ length: count }, (_, i) => {
    const assigned = random() < 0.6;
    return {
      id: `n${i}`,
      e164: `+1${Math.floor(2_000_000_000 + random() * 7_999_999_999)}`,
      provider: PROVIDERS[i % 3]!,
      nickname: random() < 0.2 ? null : `${nicknames[i % nicknames.length]} ${i}`,
      isProduction: random() < 0.1,
      agentName: assigned ? `Agent ${i % 17}` : null,
      assigned,
    };
  });
  return rows.sort((a, b) =>
    a.provider === b.provider
      ? a.e164.localeCompare(b.e164)
      : PROVIDERS.indexOf(a.provider) - PROVIDERS.indexOf(b.provider),
  );
}

/** The rules, written the obvious way. */
function reference(rows: IndexedNumberRow[], terms: PickerTerms, filter: NumberFilter, limit: number) {
  const lowered = terms.text.toLowerCase();
  return rows
    .filter((n) => filter.providers.includes(n.provider))
    .filter((n) => (filter.agent === "free" ? !n.assigned : filter.agent === "assigned" ? n.assigned : true))
    .filter((n) => {
      if (!terms.text) return true;
      if (terms.digits && n.e164.includes(terms.digits)) return true;
      const nick = n.nickname?.toLowerCase();
      if (!nick) return false;
      return terms.nickname === "anywhere"
        ? nick.includes(lowered)
        : terms.nickname === "start" && nick.startsWith(lowered);
    })
    .slice(0, limit)
    .map((n) => n.id);
}

const rows = inventory(3000);
const index = new PickerIndex(rows, []);
const queries = [
  "",
  "5",
  "55",
  "555",
  "(415) 555",
  "0001",
  "+1 2",
  "li",
  "LINE",
  "line 2",
  "ne 1",
  "sales E",
  "über",
  "%_off",
  "zq",
  "Night desk 10",
  "s",
  "12",
];
const filters: NumberFilter[] = [
  { providers: PROVIDERS },
  { providers: ["vapi"], agent: "free" },
  { providers: ["retell", "bland"], agent: "assigned" },
  { providers: [] },
];

describe("the picker index", () => {
  it.each(queries)("answers %j like a plain filter, for every picker's filter and limit", (query) => {
    const terms = pickerTerms(query);
    for (const filter of filters) {
      for (const limit of [1, 100, 5000]) {
        const ids = index.searchNumbers(terms, filter, limit).map((n) => n.id);
        expect(ids).toEqual(reference(rows, terms, filter, limit));
      }
    }
  });

  it("shows each number's agent, or none when the picker does not ask for it", () => {
    const [assigned] = index.searchNumbers(pickerTerms(""), { providers: PROVIDERS, agent: "assigned" }, 1);
    expect(assigned?.agent).toEqual({ name: expect.stringMatching(/^Agent /) });
    const [free] = index.searchNumbers(pickerTerms(""), { providers: PROVIDERS, agent: "free" }, 1, false);
    expect(free).not.toHaveProperty("agent");
  });

  it("matches an agent by name anywhere, in any case, or by the start of its provider id", () => {
    const agent = (id: string, name: string, provider: ProviderName): IndexedAgentRow => ({
      id,
      name,
      provider,
      providerAgentId: `agent_${id}`,
      kind: "agent",
      published: true,
      active: true,
    });
    const agents = new PickerIndex([], [agent("a", "Front desk", "retell"), agent("b", "Desk_2", "vapi")]);
    const names = (query: string, providers: ProviderName[] = PROVIDERS) =>
      agents.searchAgents(query, providers, 100).map((a) => a.name);
    expect(names("DESK")).toEqual(["Front desk", "Desk_2"]);
    expect(names("desk", ["vapi"])).toEqual(["Desk_2"]);
    expect(names("agent_a")).toEqual(["Front desk"]);
    expect(names("gent_a")).toEqual([]);
    expect(names("k_")).toEqual(["Desk_2"]);
    expect(names("")).toEqual(["Front desk", "Desk_2"]);
  });

  it("reads typed text as the SQL path does: digits anywhere, short text at a nickname's start", () => {
    expect(pickerTerms(" (415) 555-01\u0000 ")).toEqual({
      text: "(415) 555-01",
      digits: "41555501",
      nickname: "anywhere",
    });
    expect(pickerTerms("ma")).toEqual({ text: "ma", digits: "", nickname: "start" });
    expect(pickerTerms("12")).toEqual({ text: "12", digits: "12", nickname: "no" });
    expect(pickerTerms("\n\t")).toEqual({ text: "", digits: "", nickname: "no" });
  });
});
