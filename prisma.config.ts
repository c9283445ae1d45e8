// Prisma CLI configuration. Only `prisma generate` and `prisma migrate diff` between two schema
// files are used (both offline); the app applies migrations itself (src/db/migrate.ts).
// `engine: "js"` keeps the CLI on its WebAssembly engines: the native ones would be downloaded.
// The adapter is a throwaway in-memory PGlite, never the app's database (the CLI hangs on a PGlite folder).
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

// The schema's `url` must resolve even though generate and diff never connect.
process.env.DATABASE_URL ??= "postgresql://unused@localhost/unused";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => new PrismaPGlite(new PGlite()),
});
