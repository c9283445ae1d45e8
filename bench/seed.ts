// A database with `count` numbers across the three providers and 900 agents, 70 % of numbers
// assigned, 80 % with a nickname: what the typeahead figures run against.

import type { Db } from "../src/db/database";
import { inBatches } from "../src/lib/batches";

const PROVIDERS = ["retell", "vapi", "bland"] as const;

export async function seedInventory(db: Db, count: number): Promise<{ agentId: string; numberId: string }> {
  await db.agent.createMany({
    data: PROVIDERS.flatMap((provider) =>
      Array.from({ length: 300 }, (_, i) => ({
        provider,
        providerAgentId: `${provider}_agent_${i}`,
        name: `Agent ${provider} ${i}`,
        published: true,
      })),
    ),
  });
  const agents = await db.agent.findMany({
    select: { id: true, provider: true },
    orderBy: { providerAgentId: "asc" },
  });
  const byProvider = new Map(PROVIDERS.map((p) => [p, agents.filter((a) => a.provider === p)]));
  const rows = Array.from({ length: count }, (_, i) => {
    const provider = PROVIDERS[i % 3]!;
    const e164 = `+1${2_000_000_000 + ((i * 7_919) % 7_999_999_999)}`;
    const pool = byProvider.get(provider)!;
    return {
      provider,
      e164,
      providerNumberId: `${provider}-${i}`,
      nickname: i % 5 === 0 ? null : `Line ${i}`,
      agentId: i % 10 < 7 ? pool[i % pool.length]!.id : null,
    };
  });
  for (const batch of inBatches(rows)) await db.phoneNumber.createMany({ data: batch, skipDuplicates: true });
  await db.$executeRawUnsafe("ANALYZE");
  const agent = agents.find((a) => a.provider === "vapi")!;
  const number = await db.phoneNumber.findFirstOrThrow({
    where: { provider: "bland" },
    select: { id: true },
  });
  return { agentId: agent.id, numberId: number.id };
}
