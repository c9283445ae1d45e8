// Small helpers for the benchmark: percentiles, signed requests, child targets.
import { type ChildProcess, spawn } from "node:child_process";
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

/** Posts a signed request; `expect` guards against measuring a refusal instead of the real path. */
export async function signedPost(
  url: string,
  body: string,
  expect?: (text: string) => boolean,
  contentType = "application/x-www-form-urlencoded",
) {
  const ts = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": sign(SECRET, body, ts),
    },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  if (expect && !expect(text)) throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
  return { ms: performance.now() - started, text };
}

export interface Target {
  port: number;
  stop(): Promise<{ maxRssKb: number }>;
}

export async function startTarget(file: string, env: Record<string, string> = {}): Promise<Target> {
  const flags = process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(" ") : [];
  const child: ChildProcess = spawn(process.execPath, [...flags, "--import", "tsx", file], {
    env: { ...process.env, SLACK_SIGNING_SECRET: SECRET, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const messages: Record<string, number>[] = [];
  let wake: (() => void) | undefined;
  lines.on("line", (line) => {
    try {
      messages.push(JSON.parse(line));
      wake?.();
    } catch {
      // not ours
    }
  });
  let exited: string | undefined;
  child.on("exit", (code, signal) => {
    exited = `${file} exited (code ${code}, signal ${signal})`;
    wake?.();
  });
  const next = async (key: string) => {
    for (;;) {
      const found = messages.find((m) => key in m);
      if (found) return found[key]!;
      if (exited) throw new Error(`${exited} before reporting ${key}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  const port = await next("port");
  return {
    port,
    stop: async () => {
      child.kill("SIGTERM");
      return { maxRssKb: await next("maxRssKb") };
    },
  };
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
  return { ...summarize(latencies), rps: count / seconds };
}
