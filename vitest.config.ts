import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Three projects, all run by `npm test` (CI runs only that); pick one with `vitest --project e2e`.
//  - unit: pure modules and the harness fakes, no database;
//  - e2e: the real app in-process on a database (one per worker, emptied per app), files sharing a
//    worker's module graph (isolate: false): imports and the PGlite clone are paid once per worker;
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
  "test/app/metrics.test.ts",
  "test/db/**/*.test.ts",
  "test/services/**/*.test.ts",
];

/** The default order (by project name, then by size or last duration), but the slow project first:
 * its few long files would otherwise start last and leave one core idle at the end. */
class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (spec: TestSpecification) => spec.project.name === "slow";
    return [...sorted.filter(slow), ...sorted.filter((spec) => !slow(spec))];
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: SlowFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite is CPU-bound WebAssembly: one worker per core.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // No module mocks or global stubs here: files can share a module graph (≈2x faster).
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...SLOW, ...DATABASE],
          isolate: false,
        },
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
