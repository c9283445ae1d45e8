// What `npm start` and the container run: sets V8 up for a small resident set, then loads the bot
// (main.ts). Measured with `npm run bench -- --footprint` (issue 16; figures in docs/benchmarks.md).
import module from "node:module";
import v8 from "node:v8";

// Stack traces of Switchboard's own code point into src/ where Node can limit source maps to it
// (22.14+; the image runs 24). `--enable-source-maps` would also parse the maps of every package
// loaded: ~6 MB resident that no operator reads. On Node 20, traces point into the unminified dist/main.js.
const sourceMaps = module as {
  setSourceMapsSupport?: (on: boolean, options: { nodeModules: boolean }) => void;
};
sourceMaps.setSourceMapsSupport?.(true, { nodeModules: false });

// V8 lets the old generation grow to several times what is live before collecting it: under 20
// requests in flight the heap reached 120 MB with 45 MB live. Growing by at most 50 % keeps the
// resident set near what is live; 20 % saved 6 MB more but collected often enough to show in p99.
v8.setFlagsFromString("--heap-growing-percent=50");

// WebAssembly here is Prisma's query compiler, Node's HTTP parser and, embedded, PostgreSQL itself.
// V8's optimising tier recompiling it in background threads held ~45 MB at start-up on PostgreSQL
// (peak 155 MB against 109 MB with the baseline tier alone) and ~50 MB more on PGlite, and competed
// with requests for the two cores; queries cost 0–13 % more without it on PGlite, 5–25 % through
// Prisma on PostgreSQL. Set before any module compiles; a flag a future V8 drops is ignored.
v8.setFlagsFromString("--liftoff-only");

// A computed specifier: esbuild leaves it alone, so main.js loads after the settings above.
await import(new URL("./main.js", import.meta.url).href);
