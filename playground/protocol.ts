// What the playground's server and its page say to each other: the state the page renders (sent
// whole over server-sent events on every change) and the bodies of the page's requests.
// Type-only, shared by the server (Node) and the page (browser).

export type Json = Record<string, unknown>;

/** A Block Kit block as the bot sent it (every block has a block_id once stored, as in Slack). */
export interface Block {
  type: string;
  block_id?: string;
  [key: string]: unknown;
}

export type ProviderName = "retell" | "vapi" | "bland";
export type CallOutcome = "answered" | "no_answer" | "busy" | "failed";
/** none: working; outage: every request answers 503; unreachable: connections are reset; revoked: 401. */
export type ProviderFault = "none" | "outage" | "unreachable" | "revoked";

export interface PgUser {
  id: string;
  name: string;
  realName: string;
  /** What this person is for in the playground ("requester", "approver"…). */
  role: string;
  approver: boolean;
  /** A Slack guest (`is_restricted`): may read, never change anything. */
  guest?: boolean;
}

export interface PgChannel {
  id: string;
  name: string;
  purpose: string;
}

export interface PgMessage {
  /** Arrival order; unique. */
  id: number;
  /** A channel id, or a user id for that user's DM with the app. */
  channel: string;
  ts: string;
  /** Date.now() when it was posted. */
  at: number;
  /** "bot", or the user who typed a command (their command echo). */
  from: string;
  text: string;
  blocks: Block[];
  /** Ephemeral: only this user sees it. */
  visibleTo?: string;
  edited?: boolean;
}

export interface PgView {
  id: string;
  type: "modal" | "home";
  hash: string;
  callbackId: string;
  title?: { text: string };
  submit?: { text: string };
  close?: { text: string };
  blocks: Block[];
  /** block_id → action_id → value object, as Slack sends it in `view.state.values`. */
  values: Record<string, Record<string, Json>>;
  /** Validation errors from a `response_action: errors`, by block_id. */
  errors: Record<string, string>;
  /** A submission is on its way to the app. */
  submitting: boolean;
}

export interface PgNotice {
  id: number;
  user: string;
  text: string;
}

export interface PgProviderAgent {
  id: string;
  name: string;
  published: boolean;
  /** Bland only: a v2 agent (the default since late 2026) or a legacy persona. */
  kind?: "agent" | "persona";
}

export interface PgProviderNumber {
  e164: string;
  nickname: string | null;
  /** What the provider routes the number to right now. */
  agentIds: string[];
}

export interface PgProviderCall {
  id: string;
  from: string;
  to: string;
  agentId: string;
  /** Snapshots the bot has read so far, of all there are. */
  reads: number;
  steps: number;
}

export interface PgProvider {
  name: ProviderName;
  label: string;
  fault: ProviderFault;
  /** Outcomes queued for the next test calls, in order (after them: answered). */
  nextCalls: CallOutcome[];
  agents: PgProviderAgent[];
  numbers: PgProviderNumber[];
  calls: PgProviderCall[];
}

export interface PgState {
  users: PgUser[];
  channels: PgChannel[];
  messages: PgMessage[];
  /** Open modal stack per user, root first. */
  modals: Record<string, PgView[]>;
  /** App Home per user, once the app published one. */
  homes: Record<string, PgView>;
  notices: PgNotice[];
  providers: PgProvider[];
}

/** Where a clicked element lives. */
export type Surface = { kind: "message"; messageId: number } | { kind: "view"; viewId: string };

export interface Choice {
  value: string;
  text: string;
}

export interface CommandRequest {
  user: string;
  channel: string;
  text: string;
}

export interface ActionRequest {
  user: string;
  surface: Surface;
  blockId: string;
  actionId: string;
  /** The picked option (select, overflow, radio). */
  choice?: Choice | null;
  /** The page's current input values of the view (merged into `view.state.values`). */
  values?: PgView["values"];
}

export interface SuggestRequest {
  user: string;
  viewId: string;
  blockId: string;
  actionId: string;
  query: string;
  values?: PgView["values"];
}

export interface SuggestResponse {
  options?: { text: { text: string }; value: string }[];
  option_groups?: { label: { text: string }; options: { text: { text: string }; value: string }[] }[];
  error?: string;
}

export interface SubmitRequest {
  user: string;
  viewId: string;
  values: PgView["values"];
}

export interface CloseRequest {
  user: string;
  viewId: string;
}

export interface HomeRequest {
  user: string;
}
