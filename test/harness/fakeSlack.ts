// A local stand-in for the Slack Web API (and for response_url) that tests point Bolt at.
// Shapes and errors follow /work/shared/reference/slack.md §1.3, §3 and §4.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { blockKitViolations, MAX_UPDATE_TEXT, type Surface, toSlackMessage } from "./blockKitLimits";
import { type FakeSocketMode, FakeSocketModeServer } from "./fakeSocketMode";

export interface RecordedCall {
  /** Web API method (`chat.postMessage`…) or `"response_url"`. */
  method: string;
  /** Parsed arguments (JSON fields decoded, `token` removed); response_url posts also carry `_url`. */
  args: Record<string, unknown>;
  /** Date.now() when the call arrived. */
  at: number;
  /** HTTP status and body the fake answered with. */
  status: number;
  response: unknown;
  /** Present when the fake refused the payload (Block Kit limits, msg_too_long, view_too_large). */
  rejected?: string[];
}

export interface FakeSlackOptions {
  /** When set, any other token answers `invalid_auth`. Without it any non-empty token is accepted. */
  token?: string;
  /**
   * The app-level token (xapp-…) that `apps.connections.open` accepts; with it the fake also
   * serves Socket Mode WebSockets on the same port (`socket`).
   */
  appToken?: string;
}

export interface FailOptions {
  /** HTTP status; defaults to 429 when `retryAfter` is given, else 200 (an `ok:false` answer). */
  status?: number;
  /** `error` field of the body; defaults to `ratelimited` for 429, else `fatal_error`. */
  error?: string;
  /** Retry-After seconds sent with a 429 (default 1). */
  retryAfter?: number;
  /** How many consecutive calls fail (default 1). */
  times?: number;
}

export interface FakeUser {
  real_name?: string;
  display_name?: string;
  phone?: string;
  tz?: string;
  deleted?: boolean;
  is_bot?: boolean;
  /** A multi-channel guest (Slack sets it for single-channel guests too). */
  is_restricted?: boolean;
  /** A single-channel guest. */
  is_ultra_restricted?: boolean;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/` — pass as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  /** Every call, in arrival order (the same array for the life of the fake). */
  readonly calls: RecordedCall[];
  /** Socket Mode (present when started with `appToken`). */
  readonly socket: FakeSocketMode | undefined;
  /** A response_url on this server; without `id` a fresh one is generated. */
  responseUrl(id?: string): string;
  callsTo(method: string): RecordedCall[];
  lastCall(method: string): RecordedCall | undefined;
  /** First call to `method` matching `predicate`, already recorded or arriving within `timeoutMs`. */
  waitFor(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  /** Calls the fake refused for breaking Slack's limits — assert this is empty. */
  rejections(): RecordedCall[];
  /** Clears recorded calls and pending failNext faults; messages, views, users and usergroups stay. */
  reset(): void;
  /** Overrides fields of the user `users.info` returns (any id is otherwise a default user). */
  setUser(id: string, fields: FakeUser): void;
  setUsergroup(id: string, users: string[]): void;
  /** Makes the next `times` calls to `method` (or `"response_url"`) fail. */
  failNext(method: string, options?: FailOptions): void;
  /** Calls `listener` with every call as it is recorded (after it was answered); returns an unsubscribe. */
  onCall(listener: (call: RecordedCall) => void): () => void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body: Json | string;
  rejected?: string[];
}

interface Fault {
  answer: Answer;
  remaining: number;
}

interface Waiter {
  method: string;
  predicate: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
}

const TEAM_ID = "T0TEST";
const BOT_ID = "B0BOT";
const BOT_USER_ID = "U0BOT";
const EPOCH = 1_767_225_600; // 2026-01-01T00:00:00Z
const JSON_FIELDS = ["blocks", "view", "attachments", "metadata"];
const MAX_VIEW_BYTES = 250_000;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const pad = (n: number): string => String(n).padStart(8, "0");

const ok = (fields: Json = {}): Answer => ({ body: { ok: true, ...fields } });
const fail = (error: string, fields: Json = {}): Answer => ({ body: { ok: false, error, ...fields } });
const missing = (arg: string): Answer =>
  fail("invalid_arguments", { response_metadata: { messages: [`[ERROR] missing required field: ${arg}`] } });

function refuse(rejected: string[], error: string): Answer {
  const answer = fail(error, { response_metadata: { messages: rejected.map(toSlackMessage) } });
  return { ...answer, rejected };
}

/** `invalid_blocks`/`invalid_arguments` answer when the payload breaks Block Kit limits. */
function checkBlocks(surface: Surface, payload: Json): Answer | undefined {
  const rejected = blockKitViolations(surface, payload);
  if (rejected.length === 0) return undefined;
  return refuse(rejected, surface === "message" ? "invalid_blocks" : "invalid_arguments");
}

function parseArgs(contentType: string, raw: string): Json | undefined {
  try {
    const parsed: unknown = contentType.includes("application/json")
      ? JSON.parse(raw || "{}")
      : Object.fromEntries(new URLSearchParams(raw));
    if (!isObj(parsed)) return undefined;
    for (const field of JSON_FIELDS) {
      const value = parsed[field];
      if (typeof value !== "string") continue;
      try {
        parsed[field] = JSON.parse(value);
      } catch {
        // not JSON: keep the string as sent
      }
    }
    return parsed;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

class FakeSlackServer implements FakeSlack {
  readonly calls: RecordedCall[] = [];
  apiUrl = "";
  private baseUrl = "";
  private seq = 0; // ids
  private tsSeq = 0; // message timestamps
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  private readonly messages = new Map<string, Json>(); // "<channel>/<ts>" → message
  private readonly views = new Map<string, Json>(); // view id → view as last returned
  private readonly homeViews = new Map<string, string>(); // user id → view id
  private readonly users = new Map<string, FakeUser>();
  private readonly usergroups = new Map<string, string[]>();
  private readonly dms = new Map<string, string>(); // "users" argument → D… id
  private readonly faults = new Map<string, Fault[]>();
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(call: RecordedCall) => void>();

  private readonly handlers: Record<string, (args: Json) => Answer> = {
    "auth.test": () =>
      ok({
        url: "https://switchboard-test.slack.com/",
        team: "Switchboard Test",
        user: "switchboard",
        team_id: TEAM_ID,
        user_id: BOT_USER_ID,
        bot_id: BOT_ID,
      }),
    "chat.postMessage": (a) => this.postMessage(a),
    "chat.update": (a) => this.updateMessage(a),
    "chat.postEphemeral": (a) => this.postEphemeral(a),
    "views.open": (a) =>
      str(a.trigger_id) || str(a.interactivity_pointer) ? this.saveView(a, "modal") : missing("trigger_id"),
    "views.push": (a) =>
      str(a.trigger_id) || str(a.interactivity_pointer) ? this.saveView(a, "modal") : missing("trigger_id"),
    "views.update": (a) => this.updateView(a),
    "views.publish": (a) => this.publishView(a),
    "users.info": (a) => this.userInfo(a),
    "usergroups.users.list": (a) => {
      const id = str(a.usergroup);
      if (!id) return missing("usergroup");
      const users = this.usergroups.get(id);
      return users ? ok({ users: [...users] }) : fail("no_such_subteam");
    },
    "conversations.open": (a) => {
      const channel = str(a.channel);
      if (channel) return ok({ channel: { id: channel } });
      const users = str(a.users);
      if (!users) return missing("users");
      const id = this.dms.get(users) ?? `D${pad(++this.seq)}`;
      this.dms.set(users, id);
      return ok({ channel: { id } });
    },
  };

  private readonly token: string | undefined;
  private readonly appToken: string | undefined;
  readonly socket: FakeSocketModeServer | undefined;

  constructor(token: string | undefined, appToken?: string) {
    this.token = token;
    this.appToken = appToken;
    this.socket = appToken ? new FakeSocketModeServer(this.server) : undefined;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", resolve);
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.socket?.setBaseUrl(this.baseUrl);
  }

  // ── public helpers ──────────────────────────────────────────────────────────

  responseUrl(id = `r${++this.seq}`): string {
    return `${this.baseUrl}/response/${encodeURIComponent(id)}`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  lastCall(method: string): RecordedCall | undefined {
    return this.callsTo(method).at(-1);
  }

  rejections(): RecordedCall[] {
    return this.calls.filter((c) => c.rejected);
  }

  waitFor(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 5000) {
    const matches = (c: RecordedCall) => c.method === method && safely(predicate, c);
    const found = this.calls.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise<RecordedCall>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.calls.length ? [...new Set(this.calls.map((c) => c.method))].join(", ") : "none";
        reject(
          new Error(
            `fakeSlack.waitFor("${method}"): no matching call within ${timeoutMs} ms; methods seen: ${seen}`,
          ),
        );
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        method,
        predicate: matches,
        resolve: (c) => {
          settle();
          resolve(c);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      };
      this.waiters.add(waiter);
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
  }

  setUser(id: string, fields: FakeUser): void {
    this.users.set(id, { ...this.users.get(id), ...fields });
  }

  setUsergroup(id: string, users: string[]): void {
    this.usergroups.set(id, [...users]);
  }

  failNext(method: string, { status, error, retryAfter, times = 1 }: FailOptions = {}): void {
    const code = status ?? (retryAfter !== undefined ? 429 : 200);
    const headers: Record<string, string> = code === 429 ? { "retry-after": String(retryAfter ?? 1) } : {};
    const answer = fail(error ?? (code === 429 ? "ratelimited" : "fatal_error"));
    const queue = this.faults.get(method) ?? [];
    queue.push({ answer: { ...answer, status: code, headers }, remaining: times });
    this.faults.set(method, queue);
  }

  onCall(listener: (call: RecordedCall) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const waiter of [...this.waiters]) waiter.reject(new Error("fakeSlack closed while waiting"));
    await this.socket?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── HTTP ────────────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await readBody(req);
    if (req.method !== "POST") return send(res, { status: 405, body: "method_not_allowed" });
    if (url.pathname.startsWith("/api/")) {
      const method = decodeURIComponent(url.pathname.slice("/api/".length));
      return send(res, this.apiCall(method, req, raw));
    }
    if (url.pathname.startsWith("/response/"))
      return send(res, this.responsePost(`${this.baseUrl}${url.pathname}`, raw));
    send(res, { status: 404, body: "not_found" });
  }

  private apiCall(method: string, req: IncomingMessage, raw: string): Answer {
    const parsed = parseArgs(req.headers["content-type"] ?? "", raw);
    const args = parsed ?? {};
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const token = bearer ?? str(args.token);
    delete args.token;
    const answer =
      this.takeFault(method) ??
      (!token ? fail("not_authed") : undefined) ??
      (token && method === "apps.connections.open" ? this.connectionsOpen(token, bearer) : undefined) ??
      (token?.startsWith("xapp-") ? fail("not_allowed_token_type") : undefined) ??
      (this.token !== undefined && token !== this.token ? fail("invalid_auth") : undefined) ??
      (parsed ? undefined : fail("invalid_form_data")) ??
      this.handlers[method]?.(args) ??
      fail("unknown_method");
    this.record(method, args, answer);
    return answer;
  }

  private responsePost(url: string, raw: string): Answer {
    const body = parseArgs("application/json", raw);
    const rejected = body ? blockKitViolations("message", body) : ["/: must be a JSON object"];
    const refused: Answer = { status: 400, body: body ? "invalid_blocks" : "invalid_payload", rejected };
    const answer = this.takeFault("response_url") ?? (rejected.length ? refused : { body: "ok" });
    this.record("response_url", { ...body, _url: url }, answer);
    return answer;
  }

  private takeFault(method: string): Answer | undefined {
    const queue = this.faults.get(method);
    const fault = queue?.[0];
    if (!queue || !fault) return undefined;
    if (--fault.remaining <= 0) queue.shift();
    return fault.answer;
  }

  private record(method: string, args: Json, answer: Answer): void {
    const call: RecordedCall = {
      method,
      args,
      at: Date.now(),
      status: answer.status ?? 200,
      response: answer.body,
    };
    if (answer.rejected) call.rejected = answer.rejected;
    this.calls.push(call);
    for (const waiter of [...this.waiters]) {
      if (waiter.method === method && waiter.predicate(call)) waiter.resolve(call);
    }
    for (const listener of [...this.listeners]) listener(call);
  }

  // ── Socket Mode ───────────────────────────────────────────────────────────

  /**
   * apps.connections.open: app-level tokens only (Slack answers not_allowed_token_type to a bot
   * token), and only in the Authorization header ("passing it as a POST parameter will result in an
   * error", docs.slack.dev/reference/methods/apps.connections.open; the error is not named there).
   */
  private connectionsOpen(token: string, bearer: string | undefined): Answer {
    if (!bearer) return fail("not_authed");
    if (!token.startsWith("xapp-")) return fail("not_allowed_token_type");
    if (!this.socket || token !== this.appToken) return fail("invalid_auth");
    return ok({ url: this.socket.issueUrl() });
  }

  // ── chat.* ──────────────────────────────────────────────────────────────────

  private nextTs(): string {
    const micros = ++this.tsSeq * 100;
    return `${EPOCH + Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
  }

  private postMessage(a: Json): Answer {
    const channel = str(a.channel);
    if (!channel) return fail("channel_not_found");
    if (!str(a.text) && a.blocks === undefined) return fail("no_text");
    const bad = checkBlocks("message", a);
    if (bad) return bad;
    const ts = this.nextTs();
    const message = {
      type: "message",
      subtype: "bot_message",
      text: a.text ?? "",
      blocks: a.blocks,
      thread_ts: a.thread_ts,
      ts,
      bot_id: BOT_ID,
    };
    this.messages.set(`${channel}/${ts}`, message);
    return ok({ channel, ts, message });
  }

  private updateMessage(a: Json): Answer {
    const channel = str(a.channel);
    if (!channel) return fail("channel_not_found");
    const ts = str(a.ts);
    const message = this.messages.get(`${channel}/${ts}`);
    if (!ts || !message) return fail("message_not_found");
    if (typeof a.text === "string" && a.text.length > MAX_UPDATE_TEXT) {
      return refuse([`/text: must be <= ${MAX_UPDATE_TEXT} chars`], "msg_too_long");
    }
    const bad = checkBlocks("message", a);
    if (bad) return bad;
    // Like Slack, omitted text/blocks keep their previous value.
    if (a.text !== undefined) message.text = a.text;
    if (a.blocks !== undefined) message.blocks = a.blocks;
    return ok({ channel, ts, text: message.text, message: { ...message } });
  }

  private postEphemeral(a: Json): Answer {
    if (!str(a.channel)) return fail("channel_not_found");
    if (!str(a.user)) return missing("user");
    if (!str(a.text) && a.blocks === undefined) return fail("no_text");
    return checkBlocks("message", a) ?? ok({ message_ts: this.nextTs() });
  }

  // ── views.* ─────────────────────────────────────────────────────────────────

  /** Validates `a.view` for `surface` and stores it (as a new view, or replacing `current`). */
  private saveView(a: Json, surface: "modal" | "home", current?: Json): Answer {
    const view = a.view;
    if (!isObj(view)) return missing("view");
    const bad = checkBlocks(surface, a);
    if (bad) return bad;
    if (JSON.stringify(view).length > MAX_VIEW_BYTES) return fail("view_too_large");
    const id = str(current?.id) ?? `V${pad(++this.seq)}`;
    const externalId = str(view.external_id);
    if (externalId && [...this.views.values()].some((v) => v.external_id === externalId && v.id !== id)) {
      return fail("duplicate_external_id");
    }
    const stored: Json = {
      ...view,
      id,
      team_id: TEAM_ID,
      app_id: "A0TEST",
      bot_id: BOT_ID,
      hash: `${EPOCH}.${pad(++this.seq)}`,
      root_view_id: current?.root_view_id ?? id,
      previous_view_id: null,
      state: current?.state ?? { values: {} },
    };
    this.views.set(id, stored);
    return ok({ view: stored });
  }

  private updateView(a: Json): Answer {
    const viewId = str(a.view_id);
    const externalId = str(a.external_id);
    if (!viewId && !externalId) return missing("view_id");
    const current = viewId
      ? this.views.get(viewId)
      : [...this.views.values()].find((v) => v.external_id === externalId);
    if (!current) return fail("not_found");
    if (str(a.hash) && a.hash !== current.hash) return fail("hash_conflict");
    return this.saveView(a, current.type === "home" ? "home" : "modal", current);
  }

  private publishView(a: Json): Answer {
    const user = str(a.user_id);
    if (!user) return missing("user_id");
    const currentId = this.homeViews.get(user);
    const current = currentId ? this.views.get(currentId) : undefined;
    if (str(a.hash) && current && a.hash !== current.hash) return fail("hash_conflict");
    const answer = this.saveView(a, "home", current);
    const saved = (answer.body as Json).view;
    if (isObj(saved)) this.homeViews.set(user, String(saved.id));
    return answer;
  }

  // ── users / groups ──────────────────────────────────────────────────────────

  private userInfo(a: Json): Answer {
    const id = str(a.user);
    if (!id) return missing("user");
    const u = this.users.get(id) ?? {};
    const realName = u.real_name ?? `Test User ${id}`;
    const displayName = u.display_name ?? realName;
    return ok({
      user: {
        id,
        team_id: TEAM_ID,
        name: id.toLowerCase(),
        real_name: realName,
        tz: u.tz ?? "Europe/London",
        deleted: u.deleted ?? false,
        is_bot: u.is_bot ?? false,
        is_admin: false,
        is_owner: false,
        is_restricted: u.is_restricted ?? u.is_ultra_restricted ?? false,
        is_ultra_restricted: u.is_ultra_restricted ?? false,
        is_app_user: false,
        profile: { real_name: realName, display_name: displayName, phone: u.phone ?? "" },
      },
    });
  }
}

function safely(predicate: (call: RecordedCall) => boolean, call: RecordedCall): boolean {
  try {
    return predicate(call);
  } catch {
    return false; // a predicate that trips over another call's shape simply doesn't match it
  }
}

function send(res: ServerResponse, { status = 200, headers = {}, body }: Answer): void {
  const json = typeof body !== "string";
  res.writeHead(status, {
    "content-type": json ? "application/json; charset=utf-8" : "text/plain",
    ...headers,
  });
  res.end(json ? JSON.stringify(body) : body);
}

/** Starts a fake Slack on 127.0.0.1 with a random port. Close it in afterAll/afterEach. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlackServer(options.token, options.appToken);
  await fake.listen();
  return fake;
}
