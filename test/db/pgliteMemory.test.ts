// The embedded database runs with a small buffer pool: PGlite keeps all of shared_buffers resident,
// and initdb's 128MB default was most of the bot's memory (issue 16; figures in the bench).
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database";

describe("embedded database memory settings", () => {
  const opened = openDatabase({ memory: true });
  afterAll(async () => {
    await (await opened).close();
  });

  it("opens with shared_buffers of 32MB, not initdb's 128MB", async () => {
    const db = await opened;
    const [row] = await db.prisma.$queryRaw<{ shared_buffers: string }[]>`SHOW shared_buffers`;
    expect(row?.shared_buffers).toBe("32MB");
  });
});
