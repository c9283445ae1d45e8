import { PGlite } from "@electric-sql/pglite";
const r = () => Math.round(process.memoryUsage().rss / 2 ** 20);
console.log("start", r());
const db = new PGlite(process.argv[2] === "mem" ? undefined : { dataDir: "/tmp/pgmemtest" });
await db.waitReady;
console.log("ready", r(), "maxRSS", Math.round(process.resourceUsage().maxRSS / 1024));
await db.query("select 1");
console.log("q", r(), "maxRSS", Math.round(process.resourceUsage().maxRSS / 1024));
