// The simulated Slack workspace: people, channels, DMs with the app, ephemeral messages, a modal
// stack per person and App Home. It talks to the real bot exactly as Slack does — signed requests to
// POST /slack/events in Slack's formats (test/harness/slackDriver.ts) — and learns what the bot sends
// from the fake Web API it serves (test/harness/fakeSlack.ts, followed through `onCall`) and from the
// bodies the bot acknowledges with. Nothing here knows the bot's internals: only Slack's contract
// (/work/shared/reference/slack.md §2, §3).
import { randomBytes } from "node:crypto";
import { blockKitViolations } from "../test/harness/blockKitLimits";
import type { FakeSlack, RecordedCall } from "../test/harness/fakeSlack";
import { SlackDriver, type SlackResponse, TEAM_ID } from "../test/harness/slackDriver";
import type {
  ActionRequest,
  Block,
  Choice,
  CloseRequest,
  CommandRequest,
  HomeRequest,
  Json,
  PgChannel,
  PgMessage,
  PgNotice,
  PgUser,
  PgView,
  SubmitRequest,
  SuggestRequest,
  SuggestResponse,
} from "./protocol";

/** The slash commands the app's manifest declares (manifest.yml). */
export const COMMANDS = ["/assign-number", "/unassign-number", "/numbers"] as const;

const BOT_ID = "B0BOT"; // what the fake Web API's auth.test reports
const MAX_MESSAGES = 600;
const MAX_NOTICES = 30;

/** Where a response_url's posts land, and which message (if any) they may replace. */
interface ResponseTarget {
  user: string;
  channel: string;
  originId?: number;
}

/** A view as the bot last set it, plus what the page shows. */
interface StoredView {
  raw: Json;
  view: PgView;
  /** views.update calls seen while a submission of this view was on its way (see submit). */
  updatesDuringSubmit: number;
}

export class WorkspaceError extends Error {}

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const plainText = (text: string) => ({ type: "plain_text", text, emoji: true });

export class SimulatedWorkspace {
  readonly messages: PgMessage[] = [];
  readonly notices: PgNotice[] = [];
  private readonly modals = new Map<string, StoredView[]>();
  private readonly homes = new Map<string, StoredView>();
  private readonly responseTargets = new Map<string, ResponseTarget>();
  private readonly triggers = new Map<string, string>(); // trigger_id → user
  private readonly listeners = new Set<() => void>();
  private readonly stopFollowing: () => void;
  private driver: SlackDriver | undefined;
  private messageSeq = 0;
  private tsSeq = 0;
  private noticeSeq = 0;

  constructor(
    private readonly slack: FakeSlack,
    private readonly signingSecret: string,
    readonly users: PgUser[],
    readonly channels: PgChannel[],
  ) {
    this.stopFollowing = slack.onCall((call) => {
      try {
        if (this.observe(call)) this.changed();
      } catch (error) {
        // The bot already has its answer; a call the page cannot show is a playground bug to see.
        this.notice("all", `The playground could not show ${call.method}: ${(error as Error).message}`);
      }
    });
    for (const user of users) {
      slack.setUser(user.id, { real_name: user.realName, display_name: user.name });
    }
  }

  /** Starts sending Slack's requests to the bot at `botUrl` (its POST /slack/events). */
  connect(botUrl: string): void {
    this.driver = new SlackDriver(botUrl, this.signingSecret, () => this.slack.responseUrl());
  }

  close(): void {
    this.stopFollowing();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  modalsOf(user: string): PgView[] {
    return (this.modals.get(user) ?? []).map((s) => s.view);
  }

  homeOf(user: string): PgView | undefined {
    return this.homes.get(user)?.view;
  }

  // ── what a person does ──────────────────────────────────────────────────────

  /** A slash command typed in a channel (or in the DM with the app). */
  async command({ user, channel, text }: CommandRequest): Promise<void> {
    const person = this.user(user);
    const where = this.channel(channel);
    const typed = String(text ?? "").trim();
    const match = /^(\/[\w-]+)(?:\s+([\s\S]*))?$/.exec(typed);
    if (!match) throw new WorkspaceError("Type a slash command, for example /numbers help.");
    const command = match[1]!;
    if (!(COMMANDS as readonly string[]).includes(command)) {
      throw new WorkspaceError(
        `${command} is not a command of this app. Try ${COMMANDS.join(", ")} (with help for usage).`,
      );
    }
    // Slack posts nothing for a command; the echo (seen by the typist only) keeps the page readable.
    const echo = this.addMessage({ channel, from: user, text: typed, blocks: [], visibleTo: user });
    const responseUrl = this.responseUrl({ user, channel, originId: echo.id });
    const body = new URLSearchParams({
      token: "playground-verification-token",
      team_id: TEAM_ID,
      team_domain: "playground",
      channel_id: channel,
      channel_name: where.name,
      user_id: user,
      user_name: person.name,
      command,
      text: match[2]?.trim() ?? "",
      api_app_id: "A0TEST",
      is_enterprise_install: "false",
      response_url: responseUrl,
      trigger_id: this.trigger(user),
    }).toString();
    this.changed();
    const res = await this.bot().post(body, "application/x-www-form-urlencoded");
    if (res.status !== 200) {
      // What Slack shows the typist when the app does not acknowledge in time or fails.
      const error = res.status === 404 ? "operation_timeout" : "dispatch_failed";
      this.notice(user, `${command} failed with the error "${error}" (HTTP ${res.status})`);
      return;
    }
    if (!res.text) return;
    const reply: Json = isObj(res.json) ? res.json : { text: res.text };
    const broken = blockKitViolations("message", reply);
    if (broken.length) {
      this.notice(user, `Slack would refuse this reply (invalid_blocks): ${broken.slice(0, 3).join("; ")}`);
      return;
    }
    const inChannel = reply.response_type === "in_channel";
    this.addMessage({
      channel,
      from: "bot",
      text: str(reply.text),
      blocks: blocksOf(reply.blocks),
      ...(inChannel ? {} : { visibleTo: user }),
    });
    this.changed();
  }

  /** A click or a pick on an interactive element of a message, a modal or App Home. */
  async action({ user, surface, blockId, actionId, choice, values }: ActionRequest): Promise<void> {
    const person = this.user(user);
    const trigger = this.trigger(user);
    if (surface.kind === "message") {
      const message = this.messages.find((m) => m.id === surface.messageId);
      if (!message || !this.canSee(user, message)) throw new WorkspaceError("That message is gone.");
      const element = findElement(message.blocks, blockId, actionId);
      const responseUrl = this.responseUrl({ user, channel: message.channel, originId: message.id });
      const ephemeral = message.visibleTo !== undefined;
      const res = await this.bot().interactive({
        type: "block_actions",
        user: this.userRef(person),
        container: {
          type: "message",
          message_ts: message.ts,
          channel_id: message.channel,
          is_ephemeral: ephemeral,
        },
        trigger_id: trigger,
        channel: { id: message.channel, name: this.channelName(message.channel) },
        // Slack leaves the message out of actions on ephemeral messages.
        ...(ephemeral
          ? {}
          : {
              message: {
                type: "message",
                subtype: "bot_message",
                bot_id: BOT_ID,
                ts: message.ts,
                text: message.text,
                blocks: message.blocks,
              },
            }),
        state: { values: {} },
        response_url: responseUrl,
        actions: [actionPayload(element, blockId, choice)],
      });
      this.expectAck(user, res, "That click");
      return;
    }
    const stored = this.viewFor(user, surface.viewId);
    const element = findElement(stored.view.blocks, blockId, actionId);
    if (values) mergeValues(stored.view, values);
    const action = actionPayload(element, blockId, choice);
    if ("selected_option" in action && stored.view.values[blockId]?.[actionId]) {
      stored.view.values[blockId]![actionId] = {
        type: element.type,
        selected_option: action.selected_option,
      };
    }
    const res = await this.bot().interactive({
      type: "block_actions",
      user: this.userRef(person),
      container: { type: "view", view_id: stored.view.id },
      trigger_id: trigger,
      view: viewPayload(stored),
      actions: [action],
    });
    this.expectAck(user, res, "That action");
  }

  /** Typeahead of an external select: Slack asks the app's options URL (block_suggestion). */
  async suggest({
    user,
    viewId,
    blockId,
    actionId,
    query,
    values,
  }: SuggestRequest): Promise<SuggestResponse> {
    const person = this.user(user);
    const stored = this.viewFor(user, viewId);
    findElement(stored.view.blocks, blockId, actionId);
    if (values) mergeValues(stored.view, values);
    const res = await this.bot().interactive({
      type: "block_suggestion",
      user: { id: person.id, name: person.name, team_id: TEAM_ID },
      container: { type: "view", view_id: stored.view.id },
      action_id: actionId,
      block_id: blockId,
      value: query.slice(0, 150),
      view: viewPayload(stored),
    });
    if (res.status !== 200 || !isObj(res.json)) {
      return { error: `The app did not answer the options request (HTTP ${res.status}).` };
    }
    return res.json as SuggestResponse;
  }

  /** The modal's submit button (view_submission); the app answers with a response_action or nothing. */
  async submit({ user, viewId, values }: SubmitRequest): Promise<void> {
    const person = this.user(user);
    const stack = this.modals.get(user) ?? [];
    const stored = stack.at(-1);
    if (!stored || stored.view.id !== viewId) throw new WorkspaceError("That modal is no longer open.");
    mergeValues(stored.view, values);
    stored.view.errors = {};
    stored.view.submitting = true;
    stored.updatesDuringSubmit = 0;
    this.changed();
    const res = await this.bot().interactive({
      type: "view_submission",
      user: this.userRef(person),
      trigger_id: this.trigger(user),
      view: viewPayload(stored),
      response_urls: [],
    });
    stored.view.submitting = false;
    const updatedMeanwhile = stored.updatesDuringSubmit > 0;
    if (res.status !== 200) {
      stored.view.errors = { "": `We had some trouble connecting (HTTP ${res.status}). Try again?` };
      return this.changed();
    }
    const answer = isObj(res.json) ? res.json : {};
    const action = str(answer.response_action);
    if (!res.text || action === "clear") {
      if (action === "clear") this.modals.delete(user);
      else this.pop(user, stored);
    } else if (action === "errors" && isObj(answer.errors)) {
      stored.view.errors = Object.fromEntries(Object.entries(answer.errors).map(([k, v]) => [k, str(v)]));
    } else if ((action === "update" || action === "push") && isObj(answer.view)) {
      const broken = blockKitViolations("modal", { view: answer.view });
      if (broken.length) {
        stored.view.errors = { "": `Slack would refuse this view: ${broken.slice(0, 3).join("; ")}` };
      } else if (action === "push") {
        const pushed = { ...answer.view, id: `V${randomBytes(5).toString("hex").toUpperCase()}` };
        stack.push(this.store(pushed));
      } else if (!updatedMeanwhile) {
        // The ack comes first in the app's logic: a views.update seen meanwhile is newer, keep it.
        this.replaceView(stored, { ...answer.view, id: stored.view.id, hash: stored.view.hash });
      }
    } else {
      stored.view.errors = {
        "": `The app answered something Slack does not understand: ${res.text.slice(0, 200)}`,
      };
    }
    this.changed();
  }

  /** The modal's close button: back to the view below (view_closed when the app asked for it). */
  async closeView({ user, viewId }: CloseRequest): Promise<void> {
    const person = this.user(user);
    const stored = (this.modals.get(user) ?? []).find((s) => s.view.id === viewId);
    if (!stored) return;
    this.pop(user, stored);
    this.changed();
    if (stored.raw.notify_on_close === true) {
      await this.bot().interactive({
        type: "view_closed",
        user: this.userRef(person),
        view: viewPayload(stored),
        is_cleared: false,
      });
    }
  }

  /** Opening the app's Home tab: Slack sends app_home_opened. */
  async openHome({ user }: HomeRequest): Promise<void> {
    this.user(user);
    const home = this.homes.get(user);
    const res = await this.bot().event({
      type: "app_home_opened",
      user,
      channel: user,
      tab: "home",
      event_ts: `${Date.now() / 1000}`,
      ...(home ? { view: viewPayload(home) } : {}),
    });
    this.expectAck(user, res, "Opening App Home");
  }

  // ── what the bot sends ──────────────────────────────────────────────────────

  /** Applies one Web API call (or response_url post) the bot made; true when something changed. */
  private observe(call: RecordedCall): boolean {
    if (call.status !== 200) return false; // refused (Block Kit limits, injected faults): the bot sees the error
    const args = call.args;
    if (call.method === "response_url") return this.responsePost(args);
    const response = call.response as Json;
    if (response.ok !== true) return false;
    switch (call.method) {
      case "chat.postMessage":
        this.addMessage({
          channel: str(response.channel) || str(args.channel),
          ts: str(response.ts),
          from: "bot",
          text: str(args.text),
          blocks: blocksOf(args.blocks),
        });
        return true;
      case "chat.update": {
        const message = this.messages.find(
          (m) => m.channel === str(args.channel) && m.ts === str(args.ts) && !m.visibleTo,
        );
        if (!message) return false;
        if (args.text !== undefined) message.text = str(args.text);
        if (args.blocks !== undefined) message.blocks = blocksOf(args.blocks);
        message.edited = true;
        return true;
      }
      case "chat.postEphemeral":
        this.addMessage({
          channel: str(args.channel),
          ts: str(response.message_ts),
          from: "bot",
          text: str(args.text),
          blocks: blocksOf(args.blocks),
          visibleTo: str(args.user),
        });
        return true;
      case "views.open":
      case "views.push": {
        const user = this.triggers.get(str(args.trigger_id) || str(args.interactivity_pointer));
        if (!user || !isObj(response.view)) return false;
        const stored = this.store(response.view);
        if (call.method === "views.open") this.modals.set(user, [stored]);
        else this.modals.set(user, [...(this.modals.get(user) ?? []), stored]);
        return true;
      }
      case "views.update": {
        if (!isObj(response.view)) return false;
        const id = str(response.view.id);
        const stored = [...this.modals.values()].flat().find((s) => s.view.id === id);
        const home = [...this.homes.values()].find((s) => s.view.id === id);
        const target = stored ?? home;
        if (!target) return false; // a modal the person closed already
        if (target.view.submitting) target.updatesDuringSubmit++;
        this.replaceView(target, response.view);
        return true;
      }
      case "views.publish": {
        if (!isObj(response.view)) return false;
        const user = str(args.user_id);
        const current = this.homes.get(user);
        if (current) this.replaceView(current, response.view);
        else this.homes.set(user, this.store(response.view));
        return true;
      }
      default:
        return false;
    }
  }

  /** A post to a response_url: a new message, or a replacement or deletion of the one clicked. */
  private responsePost(args: Json): boolean {
    const target = this.responseTargets.get(str(args._url));
    if (!target) return false;
    const origin = this.messages.find((m) => m.id === target.originId && m.from === "bot");
    if (args.delete_original === true) {
      if (origin) this.messages.splice(this.messages.indexOf(origin), 1);
      return origin !== undefined;
    }
    if (args.replace_original === true && origin) {
      origin.text = str(args.text);
      origin.blocks = blocksOf(args.blocks);
      origin.edited = true;
      return true;
    }
    const inChannel = args.response_type === "in_channel";
    this.addMessage({
      channel: target.channel,
      from: "bot",
      text: str(args.text),
      blocks: blocksOf(args.blocks),
      ...(inChannel ? {} : { visibleTo: target.user }),
    });
    return true;
  }

  // ── state helpers ───────────────────────────────────────────────────────────

  private store(raw: Json): StoredView {
    const blocks = blocksOf(raw.blocks);
    const view: PgView = {
      id: str(raw.id),
      type: raw.type === "home" ? "home" : "modal",
      hash: str(raw.hash),
      callbackId: str(raw.callback_id),
      ...textField("title", raw.title),
      ...textField("submit", raw.submit),
      ...textField("close", raw.close),
      blocks,
      values: carryValues({}, [], blocks),
      errors: {},
      submitting: false,
    };
    return { raw: { ...raw, blocks }, view, updatesDuringSubmit: 0 };
  }

  /** New content for a view: its id stays; what the person entered stays where the input still is. */
  private replaceView(stored: StoredView, raw: Json): void {
    const next = this.store(raw);
    next.view.values = carryValues(stored.view.values, stored.view.blocks, next.view.blocks);
    stored.raw = next.raw;
    stored.view = { ...next.view, submitting: stored.view.submitting };
  }

  private pop(user: string, stored: StoredView): void {
    const stack = (this.modals.get(user) ?? []).filter((s) => s !== stored);
    if (stack.length) this.modals.set(user, stack);
    else this.modals.delete(user);
  }

  private addMessage(fields: Omit<PgMessage, "id" | "ts" | "at"> & { ts?: string }): PgMessage {
    const message: PgMessage = {
      ...fields,
      id: ++this.messageSeq,
      ts: fields.ts || this.nextTs(),
      at: Date.now(),
    };
    this.messages.push(message);
    if (this.messages.length > MAX_MESSAGES) this.messages.splice(0, this.messages.length - MAX_MESSAGES);
    return message;
  }

  private canSee(user: string, message: PgMessage): boolean {
    if (message.visibleTo && message.visibleTo !== user) return false;
    const dm = this.users.some((u) => u.id === message.channel);
    return !dm || message.channel === user;
  }

  private viewFor(user: string, viewId: string): StoredView {
    const stored =
      (this.modals.get(user) ?? []).find((s) => s.view.id === viewId) ??
      (this.homes.get(user)?.view.id === viewId ? this.homes.get(user) : undefined);
    if (!stored) throw new WorkspaceError("That view is no longer open.");
    return stored;
  }

  private expectAck(user: string, res: SlackResponse, what: string): void {
    if (res.status === 200) return;
    this.notice(user, `${what} failed: the app did not acknowledge it (HTTP ${res.status}).`);
  }

  notice(user: string, text: string): void {
    this.notices.push({ id: ++this.noticeSeq, user, text });
    if (this.notices.length > MAX_NOTICES) this.notices.shift();
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** A fresh response_url on the fake Web API, and where its posts go. */
  private responseUrl(target: ResponseTarget): string {
    const url = this.slack.responseUrl();
    this.responseTargets.set(url, target);
    if (this.responseTargets.size > 1000)
      this.responseTargets.delete(this.responseTargets.keys().next().value!);
    return url;
  }

  private trigger(user: string): string {
    const id = `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString("hex")}`;
    this.triggers.set(id, user);
    if (this.triggers.size > 500) this.triggers.delete(this.triggers.keys().next().value!);
    return id;
  }

  private nextTs(): string {
    return `${Math.floor(Date.now() / 1000)}.${String(++this.tsSeq).padStart(6, "0")}`;
  }

  private user(id: string): PgUser {
    const user = this.users.find((u) => u.id === id);
    if (!user) throw new WorkspaceError(`No such person in this workspace: ${id}`);
    return user;
  }

  private userRef(user: PgUser) {
    return { id: user.id, username: user.name, name: user.name, team_id: TEAM_ID };
  }

  private channel(id: string): PgChannel {
    const channel = this.channels.find((c) => c.id === id);
    if (channel) return channel;
    const user = this.users.find((u) => u.id === id);
    if (user) return { id, name: "directmessage", purpose: "" };
    throw new WorkspaceError(`No such channel: ${id}`);
  }

  private channelName(id: string): string {
    return this.channels.find((c) => c.id === id)?.name ?? "directmessage";
  }

  private bot(): SlackDriver {
    if (!this.driver) throw new WorkspaceError("The app is not running yet.");
    return this.driver;
  }
}

// ── Block Kit helpers ─────────────────────────────────────────────────────────

/** Blocks as stored: like Slack, every block gets a block_id if the app gave none. */
function blocksOf(value: unknown): Block[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObj).map((block, i) => ({
    ...(block as Block),
    block_id: str(block.block_id) || `pg${i}`,
  }));
}

function textField(name: "title" | "submit" | "close", value: unknown) {
  return isObj(value) && typeof value.text === "string" ? { [name]: { text: value.text } } : {};
}

/** The interactive element `actionId` in block `blockId`: an actions element, an accessory or an input. */
function findElement(blocks: Block[], blockId: string, actionId: string): Json {
  const block = blocks.find((b) => b.block_id === blockId);
  const candidates = [
    ...(Array.isArray(block?.elements) ? block.elements : []),
    block?.accessory,
    block?.element,
  ].filter(isObj);
  const element = candidates.find((e) => e.action_id === actionId);
  if (!element) throw new WorkspaceError("That control is no longer there.");
  return element;
}

function optionsOf(element: Json): Json[] {
  const flat = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((g) => (isObj(g) && Array.isArray(g.options) ? g.options : []))
    : [];
  return [...flat, ...grouped].filter(isObj);
}

/** One entry of `actions[]` as Slack sends it: values come from the element, never from the page. */
function actionPayload(element: Json, blockId: string, choice: Choice | null | undefined) {
  const base = { type: str(element.type), action_id: str(element.action_id), block_id: blockId };
  const actionTs = `${Date.now() / 1000}`;
  switch (element.type) {
    case "button":
      return {
        ...base,
        text: element.text,
        ...(element.value !== undefined ? { value: element.value } : {}),
        ...(element.style ? { style: element.style } : {}),
        action_ts: actionTs,
      };
    case "overflow":
    case "static_select":
    case "radio_buttons": {
      const picked = optionsOf(element).find((o) => o.value === choice?.value);
      if (!picked) throw new WorkspaceError("That option is not in the menu.");
      return { ...base, selected_option: picked, action_ts: actionTs };
    }
    case "external_select":
      return {
        ...base,
        selected_option: choice ? { text: plainText(choice.text.slice(0, 75)), value: choice.value } : null,
        action_ts: actionTs,
      };
    default:
      throw new WorkspaceError(`The playground does not send actions of ${str(element.type)} elements.`);
  }
}

/** The elements of a view's input blocks: what `view.state.values` has an entry for. */
function inputElements(blocks: Block[]): { blockId: string; element: Json }[] {
  return blocks
    .filter((b) => b.type === "input" && isObj(b.element))
    .map((b) => ({ blockId: b.block_id!, element: b.element as Json }));
}

function initialValue(element: Json): Json {
  const type = str(element.type);
  if (type === "plain_text_input") return { type, value: str(element.initial_value) || null };
  if (type.endsWith("select") || type === "radio_buttons") {
    return { type, selected_option: isObj(element.initial_option) ? element.initial_option : null };
  }
  return { type };
}

/**
 * State for new blocks: what the person entered where the same input still exists (as Slack keeps
 * it across views.update), else the new blocks' initial values.
 */
function carryValues(previous: PgView["values"], previousBlocks: Block[], blocks: Block[]): PgView["values"] {
  const before = new Map(inputElements(previousBlocks).map((i) => [i.blockId, i.element]));
  const values: PgView["values"] = {};
  for (const { blockId, element } of inputElements(blocks)) {
    const actionId = str(element.action_id);
    const kept = previous[blockId]?.[actionId];
    const old = before.get(blockId);
    const entered =
      kept !== undefined &&
      kept.type === element.type &&
      (old === undefined || JSON.stringify(kept) !== JSON.stringify(initialValue(old)));
    values[blockId] = { [actionId]: entered ? kept : initialValue(element) };
  }
  return values;
}

/** Takes what the page entered into the view's inputs, in Slack's shapes, for inputs that exist. */
function mergeValues(view: PgView, entered: PgView["values"]): void {
  for (const { blockId, element } of inputElements(view.blocks)) {
    const actionId = str(element.action_id);
    const value = entered[blockId]?.[actionId];
    if (!isObj(value)) continue;
    const type = str(element.type);
    if (type === "plain_text_input") {
      const text = typeof value.value === "string" ? value.value : null;
      view.values[blockId] = { [actionId]: { type, value: text === "" ? null : text } };
    } else if (type === "external_select" || type === "static_select" || type === "radio_buttons") {
      const option = isObj(value.selected_option) ? value.selected_option : null;
      const picked =
        option === null
          ? null
          : type === "external_select"
            ? {
                text: plainText(str(isObj(option.text) ? option.text.text : "").slice(0, 75)),
                value: str(option.value),
              }
            : (optionsOf(element).find((o) => o.value === option.value) ?? null);
      view.values[blockId] = { [actionId]: { type, selected_option: picked } };
    }
  }
}

/** The `view` object of an interaction payload (§2.3, §2.4): the stored view with its live state. */
function viewPayload(stored: StoredView): Json {
  return {
    team_id: TEAM_ID,
    app_id: "A0TEST",
    bot_id: BOT_ID,
    external_id: "",
    private_metadata: "",
    clear_on_close: false,
    notify_on_close: false,
    previous_view_id: null,
    ...stored.raw,
    id: stored.view.id,
    hash: stored.view.hash,
    root_view_id: str(stored.raw.root_view_id) || stored.view.id,
    app_installed_team_id: TEAM_ID,
    state: { values: stored.view.values },
  };
}
