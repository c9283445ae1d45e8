// What `npm start` and the container run: sets up the runtime, then loads the bot (main.ts).
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
// requests in flight the heap reached 120 MB with 45 MB live. Growing by at most 20 % keeps the
// resident set near what is live (~140 MB steady instead of up to 250 MB, same ack latency).
v8.setFlagsFromString("--heap-growing-percent=20");

// On PostgreSQL the only WebAssembly is Prisma's query compiler (and Node's HTTP parser). V8's
// optimising tier compiling it in the background held ~45 MB at start-up (peak 155 MB, against
// 109 MB with the baseline compiler alone), and Prisma caches each query's plan, so the compiler
// rarely runs after the first requests. PGlite runs all of PostgreSQL in WebAssembly: it keeps the
// optimising tier (a restart took 2.0 s instead of 1.4 s without it). Set before any module compiles.
if (process.env.DATABASE_URL) v8.setFlagsFromString("--liftoff-only");

// A computed specifier: esbuild leaves it alone, so main.js loads after the settings above.
await import(new URL("./main.js", import.meta.url).href);
