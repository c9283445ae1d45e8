// The embedded database: one way to construct PGlite (with the extensions the migrations need),
// and the first-start initialisation, run in a child process so the bot never keeps initdb's memory.
import { spawn } from "node:child_process";
import { access, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite, PGliteOptions } from "@electric-sql/pglite";
import { applyMigrations } from "./migrate";
import { pgliteRunner } from "./sqlRunners";

/**
 * initdb sets shared_buffers to 128MB, and PGlite's WebAssembly heap touches (so keeps resident)
 * all of it at start: 287 MB resident for an opened folder against 183 MB with 32MB (measured on
 * Node 20 with this schema; 16MB: 162 MB). 32MB holds the working set of 10,000 numbers with their
 * indexes; what does not fit is read through the OS page cache. Issue 16, memory.
 */
const MEMORY_SETTINGS = ["-c", "shared_buffers=32MB"];

/** Loaded lazily: PGlite is tens of MB, and PostgreSQL deployments never need it. */
export async function createPglite(options: PGliteOptions & { dataDir?: string }): Promise<PGlite> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
  ]);
  const pglite = new PGlite({
    ...options,
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, ...MEMORY_SETTINGS],
  });
  await pglite.waitReady;
  return pglite;
}

/** Creates the folder's cluster (initdb) and applies the migrations, then closes it. */
export async function initialiseFolder(dataDir: string): Promise<string[]> {
  await mkdir(dataDir, { recursive: true });
  const pglite = await createPglite({ dataDir });
  try {
    return await applyMigrations(pgliteRunner(pglite));
  } finally {
    await pglite.close();
  }
}

export async function isInitialised(dataDir: string): Promise<boolean> {
  return access(path.join(dataDir, "PG_VERSION")).then(
    () => true,
    () => false,
  );
}

/**
 * First start on an empty folder: initdb costs several hundred MB that a WebAssembly heap never
 * gives back, so it runs in a child process that exits; the bot then opens the ready folder.
 * Returns the migrations the child applied.
 */
export async function initialiseInChild(dataDir: string): Promise<string[]> {
  // From source (tsx, vitest) the child needs the TypeScript loader; the build ships a JS entry.
  const fromSource = import.meta.url.endsWith(".ts");
  const script = fileURLToPath(new URL(fromSource ? "./initPglite.ts" : "./initPglite.js", import.meta.url));
  const child = spawn(process.execPath, [...(fromSource ? ["--import", "tsx"] : []), script, dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (code !== 0) {
    throw new Error(`initialising the embedded database failed (exit ${code}): ${stderr.trim().slice(-500)}`);
  }
  return JSON.parse(stdout.trim().split("\n").pop() ?? "[]") as string[];
}
