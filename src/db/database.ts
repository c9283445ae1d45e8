// One Prisma client over either database: embedded PGlite (no DATABASE_URL) or PostgreSQL.
// Both are migrated at open, through the same code path (src/db/migrate.ts).
import { PrismaClient } from "../generated/prisma/client";
import type { InventoryChanges } from "../services/ports";
import { pgliteInventoryChanges, postgresInventoryChanges } from "./inventoryChanges";
import { applyMigrations } from "./migrate";
import { createPglite, initialiseInChild, isInitialised } from "./pglite";
import { pgliteRunner, pgRunner } from "./sqlRunners";

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  kind: "pglite" | "postgresql";
  /** Migrations applied by this open (empty when the schema was already current). */
  applied: string[];
  /** PGlite only: the data directory as a tarball, to clone fresh databases from. */
  dumpTemplate?: () => Promise<Blob | File>;
  /** Committed changes to numbers and agents, from every process (keeps in-memory copies current). */
  inventoryChanges: InventoryChanges;
  /** True while the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** `template`: a PGlite data-dir dump to start from (tests clone a migrated one: much faster than initdb). */
export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true; template?: Blob };

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  try {
    return await ("url" in target ? openPostgres(target.url) : openPglite(target));
  } catch (error) {
    throw new Error(
      `Cannot open the database (${describeTarget(target)}): ${(error as Error).message}. ${"url" in target ? "Check DATABASE_URL and that the PostgreSQL server is running and reachable." : "Check that DATA_DIR is writable and not used by another Switchboard process."}`,
      { cause: error },
    );
  }
}

function describeTarget(target: DatabaseTarget): string {
  if ("dataDir" in target) return `embedded, in ${target.dataDir}`;
  if (!("url" in target)) return "embedded, in memory";
  const url = new URL(target.url);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

async function openPglite(
  target: { dataDir: string } | { memory: true; template?: Blob },
): Promise<Database> {
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  // A first start on an empty folder initialises it in a child process (see initialiseInChild).
  const initialised =
    "dataDir" in target && !(await isInitialised(target.dataDir))
      ? await initialiseInChild(target.dataDir)
      : [];
  const pglite = await createPglite(
    "dataDir" in target
      ? { dataDir: target.dataDir }
      : target.template
        ? { loadDataDir: target.template }
        : {},
  );
  const applied = [...initialised, ...(await applyMigrations(pgliteRunner(pglite)))];
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    kind: "pglite",
    dumpTemplate: () => pglite.dumpDataDir("none"),
    applied,
    inventoryChanges: pgliteInventoryChanges(pglite),
    ping: () => pingWith(prisma),
    close: once(async () => {
      await prisma.$disconnect();
      await pglite.close();
    }),
  };
}

async function openPostgres(url: string): Promise<Database> {
  // Loaded only for PostgreSQL (and PGlite only for the embedded database): each driver is tens of MB.
  const [{ default: pgDriver }, { PrismaPg }] = await Promise.all([
    import("pg"),
    import("@prisma/adapter-pg"),
  ]);
  const client = new pgDriver.Client({ connectionString: url });
  await client.connect();
  let applied: string[];
  try {
    applied = await applyMigrations(pgRunner(client));
  } finally {
    await client.end();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    prisma,
    kind: "postgresql",
    applied,
    inventoryChanges: postgresInventoryChanges(pgDriver, url),
    ping: () => pingWith(prisma),
    close: once(() => prisma.$disconnect()),
  };
}

function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= work();
    return done;
  };
}

async function pingWith(prisma: PrismaClient): Promise<boolean> {
  try {
    await withTimeout(prisma.$queryRaw`SELECT 1`, 2000);
    return true;
  } catch {
    return false;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
