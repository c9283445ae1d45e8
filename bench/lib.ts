// Small helpers for the benchmark: percentiles, signed requests, child targets.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import { createInterface } from "node:readline";
import { sign } from "../test/harness/slackDriver";

export const SECRET = "bench-signing-secret";

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

export function commandBody(text: string): string {
  return new URLSearchParams({
    team_id: "T0TEST", // the workspace the fake Slack reports in auth.test
    channel_id: "C0BENCH",
    user_id: "U0BENCH",
    command: "/numbers",
    text,
    response_url: "http://127.0.0.1:9/response",
    trigger_id: "1.2.3",
  }).toString();
}

/**
 * Kept-alive connections, as undici's fetch keeps them, but through node:http: on two shared cores
 * fetch's own CPU time doubled every latency figure (bare Bolt 4 in flight p95 6.7 ms with fetch,
 * 3.4 ms with this), drowning the differences between targets that the bench is there to show.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Posts a signed request; `expect` guards against measuring a refusal instead of the real path. */
export async function signedPost(
  url: string,
  body: string,
  expect?: (text: string) => boolean,
  contentType = "application/x-www-form-urlencoded",
) {
  const ts = Math.floor(Date.now() / 1000);
  const headers = {
    "content-type": contentType,
    "content-length": String(Buffer.byteLength(body)),
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": sign(SECRET, body, ts),
  };
  const started = performance.now();
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
  const ms = performance.now() - started;
  if (status !== 200) throw new Error(`HTTP ${status}: ${text.slice(0, 200)}`);
  if (expect && !expect(text)) throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
  return { ms, text };
}

export interface Proc {
  pid: number;
  /** The first JSON line it printed that has `key` (waits for it). */
  line(key: string): Promise<Record<string, unknown>>;
  /** Resident memory now and its peak so far (VmRSS, VmHWM), in MB. */
  memory(): Promise<{ rssMb: number; peakMb: number }>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Starts a process whose stdout carries JSON lines (a pino log, or a target's announcements). */
export function startProcess(command: string, args: string[], env: Record<string, string> = {}): Proc {
  const child: ChildProcess = spawn(command, args, {
    env: { PATH: process.env.PATH ?? "", SLACK_SIGNING_SECRET: SECRET, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const messages: Record<string, unknown>[] = [];
  let wake: (() => void) | undefined;
  lines.on("line", (line) => {
    // Log lines are read and dropped as they come, as a log shipper would; only announcements are kept.
    if (!line.includes('"port"') && !line.includes('"apiUrl"')) return;
    try {
      messages.push(JSON.parse(line));
      wake?.();
    } catch {
      // not JSON
    }
  });
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exited = `${args.join(" ")} exited (code ${code}, signal ${signal})`;
      wake?.();
      resolve();
    }),
  );
  return {
    pid: child.pid!,
    async line(key) {
      for (;;) {
        const found = messages.find((m) => key in m);
        if (found) return found;
        if (exited) throw new Error(`${exited} before printing ${key}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async memory() {
      const status = await readFile(`/proc/${child.pid}/status`, "utf8");
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
      return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
    },
    async stop() {
      if (!exited) child.kill("SIGTERM");
      await exit;
    },
  };
}

/** Polls `url` until it answers 200; returns when, in ms since `since`. */
export async function waitUntilReady(url: string, since: number, timeoutMs = 60_000): Promise<number> {
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() - since > timeoutMs) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends `count` requests, `concurrency` at a time; returns latencies and requests per second. */
export async function load(count: number, concurrency: number, send: (i: number) => Promise<{ ms: number }>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        latencies.push((await send(i)).ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...summarize(latencies), latencies, rps: count / seconds };
}
