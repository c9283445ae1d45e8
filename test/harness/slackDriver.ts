// Sends what Slack sends, in each of Slack's formats (slash command, block_actions,
// view_submission, block_suggestion, Events API), over either transport:
//   - HTTP: correctly signed requests to POST /slack/events; the response is the ack;
//   - Socket Mode: envelopes on the fake Socket Mode server; the ack frame's payload is the response.
import { createHmac, randomBytes } from "node:crypto";
import type { EnvelopeType, FakeSocketMode } from "./fakeSocketMode";

export const TEAM_ID = "T0TEST";

export interface SlackResponse {
  /** HTTP status; over the socket 200 when acked in time, 408 when not acked within Slack's 3 s. */
  status: number;
  text: string;
  json: unknown;
  ms: number;
  /** Socket Mode: the envelope's id. */
  envelopeId?: string;
}

/** What Slack delivers, before it is encoded for a transport. */
export type SlackRequest =
  | { kind: "command"; fields: Record<string, string> }
  | { kind: "interactive"; payload: Record<string, unknown> }
  | { kind: "event"; envelope: Record<string, unknown> };

export interface SlackTransport {
  readonly name: "http" | "socket";
  deliver(request: SlackRequest, options: SignOptions): Promise<SlackResponse>;
}

export interface SignOptions {
  timestamp?: number;
  signature?: string;
  secret?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export const USER = { id: "U0REQUESTER", name: "dana" };

export function sign(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export function triggerId(): string {
  return `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString("hex")}`;
}

/** Slack's Socket Mode delivery: one envelope per request; the ack's payload is the answer. */
export function socketTransport(socket: FakeSocketMode, ackTimeoutMs = 3000): SlackTransport {
  return {
    name: "socket",
    async deliver(request) {
      const [type, payload, acceptsResponsePayload]: [EnvelopeType, Record<string, unknown>, boolean] =
        request.kind === "command"
          ? ["slash_commands", request.fields, true]
          : request.kind === "interactive"
            ? [
                "interactive",
                request.payload,
                request.payload.type === "view_submission" || request.payload.type === "block_suggestion",
              ]
            : ["events_api", request.envelope, false];
      const result = await socket.deliver(type, payload, { ackTimeoutMs, acceptsResponsePayload });
      if (!result.acked) {
        return {
          status: 408,
          text: `not acknowledged within ${ackTimeoutMs} ms`,
          json: undefined,
          ms: result.ms,
          envelopeId: result.envelopeId,
        };
      }
      // An empty ack() is sent as {}: the same "no body" an HTTP 200 with an empty response means.
      const body = result.payload as Record<string, unknown> | undefined;
      const empty = !body || Object.keys(body).length === 0;
      return {
        status: 200,
        text: empty ? "" : JSON.stringify(body),
        json: empty ? undefined : body,
        ms: result.ms,
        envelopeId: result.envelopeId,
      };
    },
  };
}

export class SlackDriver {
  private readonly transport: SlackTransport;

  constructor(
    readonly baseUrl: string,
    readonly signingSecret: string,
    private readonly responseUrl: () => string,
    transport?: SlackTransport,
  ) {
    this.transport = transport ?? {
      name: "http",
      deliver: (request, options) => {
        switch (request.kind) {
          case "command":
            return this.post(
              new URLSearchParams(request.fields).toString(),
              "application/x-www-form-urlencoded",
              options,
            );
          case "interactive":
            return this.post(
              `payload=${encodeURIComponent(JSON.stringify(request.payload))}`,
              "application/x-www-form-urlencoded",
              options,
            );
          case "event":
            return this.post(JSON.stringify(request.envelope), "application/json", options);
        }
      },
    };
  }

  get transportName(): "http" | "socket" {
    return this.transport.name;
  }

  /** A raw, signed HTTP POST to /slack/events (HTTP mode only). */
  async post(body: string, contentType: string, options: SignOptions = {}): Promise<SlackResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": options.contentType ?? contentType,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": options.signature ?? sign(options.secret ?? this.signingSecret, body, timestamp),
        ...options.headers,
      },
      body,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, ms: performance.now() - started };
  }

  command(
    command: string,
    text: string,
    options: SignOptions & { user?: string; channel?: string; trigger?: string } = {},
  ): Promise<SlackResponse> {
    const fields = {
      token: "legacy-verification-token",
      team_id: TEAM_ID,
      team_domain: "acme",
      channel_id: options.channel ?? "C0OPS",
      channel_name: "ops-numbers",
      user_id: options.user ?? USER.id,
      user_name: USER.name,
      command,
      text,
      api_app_id: "A0TEST",
      is_enterprise_install: "false",
      response_url: this.responseUrl(),
      trigger_id: options.trigger ?? triggerId(),
    };
    return this.transport.deliver({ kind: "command", fields }, options);
  }

  interactive(payload: Record<string, unknown>, options: SignOptions = {}): Promise<SlackResponse> {
    const full = {
      api_app_id: "A0TEST",
      token: "legacy-verification-token",
      team: { id: TEAM_ID, domain: "acme" },
      enterprise: null,
      is_enterprise_install: false,
      ...payload,
    };
    return this.transport.deliver({ kind: "interactive", payload: full }, options);
  }

  /** A button click on a message (ephemeral or in a channel): has response_url and channel. */
  clickButton(
    actionId: string,
    value: string,
    options: SignOptions & { user?: string; channel?: string; messageTs?: string; blockId?: string } = {},
  ): Promise<SlackResponse> {
    const channel = options.channel ?? "C0OPS";
    const ts = options.messageTs ?? "1767225600.000100";
    return this.interactive(
      {
        type: "block_actions",
        user: { id: options.user ?? USER.id, username: USER.name, name: USER.name, team_id: TEAM_ID },
        container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: false },
        trigger_id: triggerId(),
        channel: { id: channel, name: "ops-numbers" },
        message: { type: "message", ts, text: "", blocks: [] },
        state: { values: {} },
        response_url: this.responseUrl(),
        actions: [
          {
            type: "button",
            action_id: actionId,
            block_id: options.blockId ?? "b",
            text: { type: "plain_text", text: "button" },
            value,
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      },
      options,
    );
  }

  /** A select inside a modal changed (dispatch_action): no response_url, full view. */
  selectInModal(
    view: ModalPayloadView,
    actionId: string,
    blockId: string,
    value: string,
    options: SignOptions = {},
  ) {
    return this.interactive(
      {
        type: "block_actions",
        user: { id: USER.id, username: USER.name, name: USER.name, team_id: TEAM_ID },
        container: { type: "view", view_id: view.id },
        trigger_id: triggerId(),
        view,
        actions: [
          {
            type: "external_select",
            action_id: actionId,
            block_id: blockId,
            selected_option: { text: { type: "plain_text", text: value }, value },
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      },
      options,
    );
  }

  submitView(view: ModalPayloadView, options: SignOptions & { user?: string } = {}): Promise<SlackResponse> {
    return this.interactive(
      {
        type: "view_submission",
        user: { id: options.user ?? USER.id, username: USER.name, name: USER.name, team_id: TEAM_ID },
        trigger_id: triggerId(),
        view,
        response_urls: [],
      },
      options,
    );
  }

  suggest(
    view: ModalPayloadView,
    actionId: string,
    blockId: string,
    value: string,
    options: SignOptions = {},
  ) {
    return this.interactive(
      {
        type: "block_suggestion",
        user: { id: USER.id, name: USER.name, team_id: TEAM_ID },
        container: { type: "view", view_id: view.id },
        action_id: actionId,
        block_id: blockId,
        value,
        view,
      },
      options,
    );
  }

  event(
    event: Record<string, unknown>,
    options: SignOptions & { eventId?: string } = {},
  ): Promise<SlackResponse> {
    const envelope = {
      token: "legacy-verification-token",
      team_id: TEAM_ID,
      api_app_id: "A0TEST",
      type: "event_callback",
      event_id: options.eventId ?? `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM_ID, user_id: "U0BOT", is_bot: true, is_enterprise_install: false }],
      event,
    };
    return this.transport.deliver({ kind: "event", envelope }, options);
  }
}

/** The part of a view Slack sends back in payloads. */
export interface ModalPayloadView {
  id: string;
  hash?: string;
  callback_id: string;
  private_metadata?: string;
  root_view_id?: string;
  state: { values: Record<string, Record<string, unknown>> };
  [key: string]: unknown;
}

/** Builds the payload view for a view the bot opened, with the user's selections filled in. */
export function viewWith(
  opened: Record<string, unknown>,
  selections: Record<string, Record<string, string | null>> = {},
): ModalPayloadView {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [block, actions] of Object.entries(selections)) {
    values[block] = {};
    for (const [action, value] of Object.entries(actions)) {
      values[block]![action] = {
        type: "external_select",
        selected_option: value === null ? null : { text: { type: "plain_text", text: value }, value },
      };
    }
  }
  return {
    ...(opened as object),
    id: String(opened.id ?? "V0TEST"),
    callback_id: String(opened.callback_id ?? ""),
    root_view_id: String(opened.root_view_id ?? opened.id ?? "V0TEST"),
    state: { values },
  } as ModalPayloadView;
}
