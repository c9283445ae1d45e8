// Authors a migration offline: diffs the last committed schema (git HEAD) against the working
// schema with Prisma's WebAssembly engine (no database touched) and writes it in Prisma's layout.
// Usage: npm run migration:new -- add_something [--from path/to/old.prisma]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--"));
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run migration:new -- <snake_case_name> [--from old.prisma]");
  process.exit(2);
}
const fromIndex = args.indexOf("--from");
let from: string;
if (fromIndex >= 0 && args[fromIndex + 1]) {
  from = args[fromIndex + 1]!;
} else {
  from = path.join(mkdtempSync(path.join(tmpdir(), "schema-")), "schema.prisma");
  writeFileSync(from, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"]));
}
const sql = execFileSync(
  "npx",
  [
    "prisma",
    "migrate",
    "diff",
    "--from-schema-datamodel",
    from,
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--script",
  ],
  { encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "inherit"] },
);
if (!sql.trim() || sql.includes("This is an empty migration")) {
  console.error("The schema did not change: no migration written.");
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`Wrote ${dir}/migration.sql — review it, commit it; the app applies it at next start.`);
