import { defineConfig } from "vitest/config";

// Three projects, all run by `npm test` (CI runs only that); pick one with `vitest --project e2e`.
//  - unit: pure modules and the harness fakes, no database;
//  - e2e: the real app in-process on a database (one per test file, emptied per app);
//  - slow: whole-process start-up, the quickstart and the 3,000-number sync — long single tests
//    kept apart so that `--project unit --project e2e` is a quick loop while iterating.
const SLOW = [
  "test/app/startup.test.ts",
  "test/app/quickstart.test.ts",
  "test/e2e/syncAtScale.test.ts",
  "test/playground/playground.test.ts",
];
const DATABASE = [
  "test/e2e/**/*.test.ts",
  "test/app/smoke.test.ts",
  "test/db/**/*.test.ts",
  "test/services/**/*.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite is CPU-bound WebAssembly: one worker per core.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...SLOW, ...DATABASE] },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: DATABASE,
          exclude: SLOW,
          isolate: false,
          // A migrated PGlite template made once, cloned by each test file's database.
          globalSetup: ["test/globalSetup.ts"],
        },
      },
      {
        extends: true,
        test: { name: "slow", include: SLOW, globalSetup: ["test/globalSetup.ts"] },
      },
    ],
  },
});
