// `npm run playground`: the real Switchboard (startSwitchboard, HTTP mode, the same listeners,
// services and database code as `npm start`) against a simulated Slack workspace and simulated
// Retell, Vapi and Bland accounts, all on loopback, with a web page to use it as in Slack.
//
//   page (browser) ──HTTP/SSE──▶ playground server ──signed Slack requests──▶ bot POST /slack/events
//                                      ▲ fake Web API + response_url (onCall) ◀── bot's Slack calls
//                                      └ fake provider accounts on loopback  ◀── bot's provider calls
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DestinationStream } from "pino";
import { loadConfig } from "../src/config";
import { type DatabaseTarget, openDatabase } from "../src/db/database";
import { isInitialised } from "../src/db/pglite";
import { createLogger } from "../src/logger";
import { type Switchboard, startSwitchboard } from "../src/server";
import { FakeProviderAccount, type LoopbackProviders, serveOnLoopback } from "../test/harness/fakeProviders";
import { type FakeSlack, startFakeSlack } from "../test/harness/fakeSlack";
import type {
  ActionRequest,
  CallOutcome,
  CloseRequest,
  CommandRequest,
  HomeRequest,
  PgState,
  ProviderFault,
  ProviderName,
  SubmitRequest,
  SuggestRequest,
} from "./protocol";
import { CALL_OUTCOMES, FAULTS, PokeError, PROVIDER_NAMES, ProviderDesk } from "./providers";
import {
  ALERTS,
  ALEX,
  APPROVALS,
  CHANNELS,
  PHONES,
  seedAfterSync,
  seedProviders,
  signingSecret,
  USERS,
} from "./seed";
import { SimulatedWorkspace, WorkspaceError } from "./workspace";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DATA_DIR = "./data-playground";
const BOT_TOKEN = "xoxb-playground";
const MAX_BODY = 1_000_000;

export interface PlaygroundOptions {
  /** Port of the page (default 3100; 0 picks a free one). */
  port?: number;
  /** The playground's own folder: the embedded database (`db/`) and the bot's log. */
  dataDir?: string;
  /** Another database instead of the folder's (tests use a fresh one). */
  database?: DatabaseTarget;
  /** Overrides of the bot's environment (e.g. CHECK_SCHEDULE). */
  env?: Record<string, string>;
  /** Where the bot's JSON log goes (default: `<dataDir>/switchboard.log`). */
  log?: DestinationStream;
}

export interface Playground {
  /** The page. */
  url: string;
  /** The bot's own HTTP server (POST /slack/events, /healthz, /readyz). */
  botUrl: string;
  switchboard: Switchboard;
  workspace: SimulatedWorkspace;
  desk: ProviderDesk;
  slack: FakeSlack;
  /** What the page renders, now. */
  state(): PgState;
  /** How many numbers and agents the accounts were seeded with. */
  seeded: { numbers: number; agents: number };
  stop(): Promise<void>;
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const stack: (() => Promise<unknown>)[] = []; // what to stop, in reverse order
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop().catch(() => undefined);
  };
  if (!options.database) stack.push(await lockFolder(dataDir));
  try {
    const desk = new ProviderDesk({
      retell: new FakeProviderAccount("retell", { apiKey: "playground-retell-key" }),
      vapi: new FakeProviderAccount("vapi", { apiKey: "playground-vapi-key" }),
      bland: new FakeProviderAccount("bland", { apiKey: "playground-bland-key" }),
    });
    const seeded = seedProviders(desk);
    const [built, slackStarted, providersStarted, wiped] = await Promise.allSettled([
      buildPage(),
      startFakeSlack({ token: BOT_TOKEN }),
      serveOnLoopback(PROVIDER_NAMES.map((name) => desk.accounts[name])),
      options.database ? Promise.resolve() : wipeDatabase(path.join(dataDir, "db")),
    ]);
    if (slackStarted.status === "fulfilled") stack.push(() => slackStarted.value.close());
    if (providersStarted.status === "fulfilled") stack.push(() => providersStarted.value.close());
    for (const step of [built, slackStarted, providersStarted, wiped]) {
      if (step.status === "rejected") throw step.reason;
    }
    const page = (built as PromiseFulfilledResult<PageAssets>).value;
    const slack = (slackStarted as PromiseFulfilledResult<FakeSlack>).value;
    const providers = (providersStarted as PromiseFulfilledResult<LoopbackProviders>).value;
    for (const user of USERS)
      slack.setUser(user.id, {
        phone: PHONES[user.id] ?? "",
        ...(user.guest ? { is_restricted: true } : {}),
      });
    // The fake keeps every call for tests to read; a playground left running must not grow for ever.
    slack.onCall(() => {
      if (slack.calls.length > 5000) slack.reset();
    });

    const secret = signingSecret();
    const workspace = new SimulatedWorkspace(slack, secret, USERS, CHANNELS);
    stack.push(async () => workspace.close());
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
      DATA_DIR: path.join(dataDir, "db"),
      RETELL_API_KEY: desk.accounts.retell.apiKey,
      VAPI_API_KEY: desk.accounts.vapi.apiKey,
      BLAND_API_KEY: desk.accounts.bland.apiKey,
      RETELL_API_URL: providers.urls.retell,
      VAPI_API_URL: providers.urls.vapi,
      BLAND_API_URL: providers.urls.bland,
      ALERT_CHANNEL_ID: ALERTS,
      APPROVAL_CHANNEL_ID: APPROVALS,
      APPROVER_USER_IDS: ALEX,
      CHECK_SCHEDULE: "*/5 * * * *",
      LOG_LEVEL: "info",
      ...policyFromEnvironment(),
      ...options.env,
    });
    const file = options.log
      ? undefined
      : createWriteStream(path.join(dataDir, "switchboard.log"), { flags: "a" });
    if (file) stack.push(() => new Promise((resolve) => file.end(resolve)));
    const log = options.log ?? file!;
    const logger = createLogger({ level: config.logLevel, secrets: [secret], destination: log });
    const switchboard = await startSwitchboard(config, {
      logger,
      ...(options.database ? { database: options.database } : {}),
      initialSync: false, // done below, awaited, before the world is finished
      // Follow test calls at a pace a person can watch (the default waits up to 10 s between polls).
      testCallPoll: { intervalsMs: [1500], maxPolls: 40 },
    });
    stack.push(() => switchboard.stop());
    const botUrl = `http://127.0.0.1:${switchboard.port}`;
    workspace.connect(botUrl);

    await switchboard.services.sync.syncAll("system");
    await seedAfterSync(switchboard.services, desk);

    const state = (): PgState => ({
      users: USERS,
      channels: CHANNELS,
      messages: workspace.messages,
      modals: Object.fromEntries(USERS.map((u) => [u.id, workspace.modalsOf(u.id)])),
      homes: Object.fromEntries(
        USERS.flatMap((u) => {
          const home = workspace.homeOf(u.id);
          return home ? [[u.id, home]] : [];
        }),
      ),
      notices: workspace.notices,
      providers: desk.snapshot(),
    });
    const server = await servePage(options.port ?? 3100, page, state, workspace, desk);
    stack.push(() => server.close());
    const { port } = server.address();
    return {
      url: `http://127.0.0.1:${port}/`,
      botUrl,
      switchboard,
      workspace,
      desk,
      slack,
      state,
      seeded,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The bot's policy settings a person may try other values of (e.g. MAX_NUMBERS_PER_AGENT=2). */
export const POLICY_VARIABLES = [
  "MAX_NUMBERS_PER_AGENT",
  "APPROVAL_TTL",
  "CHECK_SCHEDULE",
  "TEST_CALLS_PER_HOUR",
  "DEFAULT_REGION",
  "LOG_LEVEL",
] as const;

function policyFromEnvironment(): Record<string, string> {
  return Object.fromEntries(
    POLICY_VARIABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])),
  );
}

/**
 * One playground per folder: two processes on one embedded database would corrupt it. Returns the
 * release. A lock left by a process that died is taken over.
 */
async function lockFolder(dataDir: string): Promise<() => Promise<void>> {
  const lock = path.join(dataDir, "playground.pid");
  const holder = Number(await readFile(lock, "utf8").catch(() => ""));
  if (holder && holder !== process.pid && isRunning(holder)) {
    throw new Error(
      `another playground (process ${holder}) is using ${dataDir}: stop it, or give this one its own folder with --data`,
    );
  }
  await writeFile(lock, String(process.pid));
  return () => rm(lock, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Every start is the same fresh world: the fake accounts live in memory and are seeded anew, so the
 * database is emptied to match (tables truncated, migrations kept). The folder is reused so that only
 * the first start pays for initialising it.
 */
async function wipeDatabase(dir: string): Promise<void> {
  if (!(await isInitialised(dir))) return; // the bot initialises it on start
  const db = await openDatabase({ dataDir: dir });
  try {
    const tables = await db.prisma.$queryRawUnsafe<{ tablename: string }[]>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
    );
    if (tables.length) {
      const list = tables.map((t) => `"${t.tablename.replace(/"/g, '""')}"`).join(", ");
      await db.prisma.$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`);
    }
  } finally {
    await db.close();
  }
}

interface PageAssets {
  js: string;
  css: string;
}

/** Bundles the page (React + slack-blocks-to-jsx) with esbuild, in memory; the library's stylesheet first. */
async function buildPage(): Promise<PageAssets> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [path.join(HERE, "web", "app.tsx")],
    bundle: true,
    write: false,
    outdir: "out",
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "none",
    logLevel: "silent",
  });
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"))?.text ?? "";
  const require = createRequire(import.meta.url);
  const [library, own] = await Promise.all([
    readFile(require.resolve("slack-blocks-to-jsx/dist/style.css"), "utf8"),
    readFile(path.join(HERE, "web", "style.css"), "utf8"),
  ]);
  return { js, css: `${library}\n${own}` };
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard playground</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<div id="root"></div>
<script type="module" src="/app.js"></script>
</body>
</html>
`;

interface PageServer {
  address(): AddressInfo;
  close(): Promise<void>;
}

async function servePage(
  port: number,
  page: PageAssets,
  state: () => PgState,
  workspace: SimulatedWorkspace,
  desk: ProviderDesk,
): Promise<PageServer> {
  const streams = new Set<ServerResponse>();
  let last = "";
  let timer: NodeJS.Timeout | undefined;
  const broadcast = () => {
    timer = undefined;
    const json = JSON.stringify(state());
    if (json === last) return;
    last = json;
    for (const res of streams) res.write(`data: ${json}\n\n`);
  };
  const soon = () => {
    timer ??= setTimeout(broadcast, 30);
  };
  const unsubscribe = workspace.onChange(soon);
  // The bot changes provider state (bindings, calls) without telling the page: look twice a second.
  const poll = setInterval(soon, 500);
  poll.unref();

  const api: Record<string, (body: unknown) => Promise<unknown>> = {
    "/api/command": (b) => workspace.command(b as CommandRequest),
    "/api/action": (b) => workspace.action(b as ActionRequest),
    "/api/suggest": (b) => workspace.suggest(b as SuggestRequest),
    "/api/submit": (b) => workspace.submit(b as SubmitRequest),
    "/api/close": (b) => workspace.closeView(b as CloseRequest),
    "/api/home": (b) => workspace.openHome(b as HomeRequest),
    "/api/provider": async (b) => {
      poke(desk, b as PokeRequest);
    },
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const known = error instanceof WorkspaceError || error instanceof PokeError;
      if (!res.headersSent) json(res, known ? 400 : 500, { error: (error as Error).message });
      else res.end();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET") {
      if (url.pathname === "/") return send(res, 200, "text/html; charset=utf-8", INDEX_HTML);
      if (url.pathname === "/app.js") return send(res, 200, "text/javascript; charset=utf-8", page.js);
      if (url.pathname === "/app.css") return send(res, 200, "text/css; charset=utf-8", page.css);
      if (url.pathname === "/api/state") return json(res, 200, state());
      if (url.pathname === "/favicon.ico") return send(res, 204, "image/x-icon", "");
      if (url.pathname === "/events") {
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-store",
          connection: "keep-alive",
        });
        res.write(`data: ${JSON.stringify(state())}\n\n`);
        streams.add(res);
        req.on("close", () => streams.delete(res));
        return;
      }
      return send(res, 404, "text/plain", "not found");
    }
    const handler = req.method === "POST" ? api[url.pathname] : undefined;
    if (!handler) return send(res, 404, "text/plain", "not found");
    // JSON only: a page on another origin cannot send that without a CORS preflight, which this refuses.
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return json(res, 415, { error: "send JSON" });
    }
    const body = await readJson(req);
    const result = await handler(body);
    soon();
    json(res, 200, result ?? { ok: true });
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      // The usual port is taken (another playground?): any free one will do.
      if (error.code === "EADDRINUSE" && port !== 0) server.listen(0, "127.0.0.1", resolve);
      else reject(error);
    });
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    address: () => server.address() as AddressInfo,
    close: async () => {
      unsubscribe();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type PokeRequest =
  | { provider: ProviderName; op: "buy"; nickname?: string }
  | { provider: ProviderName; op: "bind"; e164: string; agentIds: string[] }
  | { provider: ProviderName; op: "fault"; fault: ProviderFault }
  | { provider: ProviderName; op: "call"; outcome: CallOutcome }
  | { provider: ProviderName; op: "publish"; agentId: string; published: boolean };

function poke(desk: ProviderDesk, request: PokeRequest): void {
  if (!PROVIDER_NAMES.includes(request.provider)) throw new PokeError("Unknown provider.");
  switch (request.op) {
    case "buy":
      desk.buy(request.provider, request.nickname);
      return;
    case "bind":
      if (!Array.isArray(request.agentIds)) throw new PokeError("agentIds must be a list.");
      desk.bind(request.provider, String(request.e164), request.agentIds.map(String));
      return;
    case "fault":
      if (!FAULTS.includes(request.fault)) throw new PokeError("Unknown fault.");
      desk.setFault(request.provider, request.fault);
      return;
    case "call":
      if (!CALL_OUTCOMES.includes(request.outcome)) throw new PokeError("Unknown call outcome.");
      desk.queueCall(request.provider, request.outcome);
      return;
    case "publish":
      desk.publish(request.provider, String(request.agentId), request.published === true);
      return;
    default:
      throw new PokeError("Unknown operation.");
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new WorkspaceError("Request too large.");
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch {
    throw new WorkspaceError("Malformed JSON.");
  }
}
