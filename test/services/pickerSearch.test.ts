// The pickers' typeahead against a real database: what matches, in what order, how many. Every
// behaviour holds twice: answered by SQL, and by the in-memory index the app answers from.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database";
import { createLogger } from "../../src/logger";
import { InventoryService, PICKER_LIMIT } from "../../src/services/inventory";
import { PickerIndexCache } from "../../src/services/pickerIndexCache";
import { createTestDatabase, type TestDatabase } from "../harness/testDatabase";

let testDb: TestDatabase;
let database: Database;
let cache: PickerIndexCache;
const services: Record<"SQL" | "the in-memory index", InventoryService> = {} as never;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase(testDb.target);
  const db = database.prisma;
  // Small pages: loading the index takes many queries here, as it does for a large inventory.
  cache = new PickerIndexCache(
    db,
    database.inventoryChanges,
    createLogger({ level: "silent", secrets: [] }),
    {
      pageSize: 7,
    },
  );
  services.SQL = new InventoryService(db, () => ["retell", "vapi"]);
  // Fails the test rather than falling back to SQL: these must be the index's own answers.
  const current = () => cache.current() ?? expect.fail("the picker index is not current");
  services["the in-memory index"] = new InventoryService(db, () => ["retell", "vapi"], undefined, {
    current,
  });
  const front = await db.agent.create({
    data: { provider: "retell", providerAgentId: "agent_front", name: "Front desk" },
  });
  await db.agent.create({
    data: { provider: "retell", providerAgentId: "agent_old", name: "Old desk", goneAt: new Date() },
  });
  await db.phoneNumber.createMany({
    data: [
      {
        provider: "retell",
        e164: "+14155550102",
        providerNumberId: "+14155550102",
        nickname: "Main line",
        agentId: front.id,
      },
      {
        provider: "retell",
        e164: "+14155550101",
        providerNumberId: "+14155550101",
        nickname: "Spare 100%_off",
      },
      { provider: "retell", e164: "+14155550199", providerNumberId: "+14155550199", nickname: "Zulu" },
      { provider: "vapi", e164: "+16285550101", providerNumberId: "vapi-1", nickname: "Vapi main" },
      { provider: "retell", e164: "+14155550177", providerNumberId: "+14155550177", goneAt: new Date() },
      ...Array.from({ length: 150 }, (_, i) => ({
        provider: "retell" as const,
        e164: `+1212555${String(i).padStart(4, "0")}`,
        providerNumberId: `bulk-${i}`,
      })),
    ],
  });
  const index = await cache.warm();
  // Every live number, across pages (155 seeded, one gone).
  expect(index?.size).toEqual({ numbers: 154, agents: 1 });
}, 60_000);

afterAll(async () => {
  await cache?.close();
  await database?.close();
  await testDb?.drop();
});

const e164s = (numbers: { e164: string }[]) => numbers.map((n) => n.e164);

describe.each(["SQL", "the in-memory index"] as const)("number typeahead answered by %s", (path) => {
  const inventory = () => services[path];

  it("with nothing typed, offers an agent's free numbers of its provider in number order, at most 100", async () => {
    const numbers = await inventory().freeNumbersForAgent({ provider: "retell" }, "");
    expect(numbers).toHaveLength(PICKER_LIMIT);
    expect(e164s(numbers)).toEqual([...e164s(numbers)].sort());
    expect(e164s(numbers)).not.toContain("+14155550102"); // assigned
    expect(e164s(numbers)).not.toContain("+14155550177"); // gone
    expect(numbers.every((n) => n.provider === "retell")).toBe(true);
  });

  it("matches digits anywhere in the number, however they are typed", async () => {
    expect(e164s(await inventory().numbersForPicker("(415) 555-01"))).toEqual([
      "+14155550101",
      "+14155550102",
      "+14155550199",
    ]);
    expect(e164s(await inventory().numbersForPicker("0199"))).toEqual(["+14155550199"]);
  });

  it("matches text anywhere in a nickname, ignoring case, and shows each number's agent", async () => {
    const numbers = await inventory().numbersForPicker("MAIN");
    expect(e164s(numbers)).toEqual(["+14155550102", "+16285550101"]); // Retell first, then Vapi
    expect(numbers[0]?.agent?.name).toBe("Front desk");
    expect(numbers[1]?.agent).toBeNull();
  });

  it("one or two letters match the start of a nickname", async () => {
    expect(e164s(await inventory().numbersForPicker("zu"))).toEqual(["+14155550199"]);
    expect(await inventory().numbersForPicker("ul")).toEqual([]);
  });

  it("typed % and _ are matched literally, not as wildcards", async () => {
    expect(e164s(await inventory().numbersForPicker("%_OFF"))).toEqual(["+14155550101"]);
    expect(await inventory().numbersForPicker("%%%")).toEqual([]);
  });

  it("the unassign picker offers assigned numbers only", async () => {
    expect(e164s(await inventory().numbersForPicker("", "assigned"))).toEqual(["+14155550102"]);
  });

  it("many matches still answer with at most 100, sorted", async () => {
    const numbers = await inventory().numbersForPicker("212555");
    expect(numbers).toHaveLength(PICKER_LIMIT);
    expect(e164s(numbers)).toEqual([...e164s(numbers)].sort());
  });
});

describe.each(["SQL", "the in-memory index"] as const)("agent typeahead answered by %s", (path) => {
  const inventory = () => services[path];
  const names = (agents: { name: string }[]) => agents.map((a) => a.name);

  it("offers only the number's provider's live agents, matching their name anywhere or their id's start", async () => {
    expect(names(await inventory().agentsForNumber({ provider: "retell" }, "DESK"))).toEqual(["Front desk"]);
    expect(names(await inventory().agentsForNumber({ provider: "retell" }, "agent_fr"))).toEqual([
      "Front desk",
    ]);
    expect(await inventory().agentsForNumber({ provider: "retell" }, "ront_desk")).toEqual([]);
    expect(await inventory().agentsForNumber({ provider: "vapi" }, "desk")).toEqual([]);
  });
});

describe("an agent typed into a command", () => {
  it("is found by its exact name in any case, and typed % or _ match only themselves", async () => {
    const found = await services.SQL.resolveAgent("FRONT DESK");
    expect(found.kind === "found" && found.agent.name).toBe("Front desk");
    await expect(services.SQL.resolveAgent("front_desk")).rejects.toMatchObject({ code: "unknown_agent" });
    await expect(services.SQL.resolveAgent("front%")).rejects.toMatchObject({ code: "unknown_agent" });
  });
});
