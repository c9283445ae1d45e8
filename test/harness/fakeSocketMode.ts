// A loopback stand-in for Slack's Socket Mode WebSocket service. The fake Slack Web API's
// `apps.connections.open` hands out a URL with a one-time ticket; this server accepts that URL,
// greets with `hello`, pushes envelopes, collects acks, and can ask the client to reconnect.
// Frame shapes follow @slack/socket-mode 3.1 (dist/src/SocketModeClient.js):
//   server → client  {type:"hello", num_connections, debug_info, connection_info}
//                    {envelope_id, type:"slash_commands"|"interactive"|"events_api", payload,
//                     accepts_response_payload, retry_attempt?, retry_reason?}
//                    {type:"disconnect", reason:"refresh_requested"|"warning"|…, debug_info}
//   client → server  {envelope_id, payload}   (the ack; payload is {} for an empty ack())
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface AckRecord {
  envelopeId: string;
  payload: unknown;
  /** Milliseconds from sending the envelope to the ack. */
  ms: number;
  /** Arrived after the deadline (Slack has already shown the user an error by then). */
  late: boolean;
  connection: number;
}

export interface DeliveryResult {
  envelopeId: string;
  acked: boolean;
  /** The ack's payload when it arrived in time. */
  payload?: unknown;
  ms: number;
}

export interface DeliverOptions {
  /** Slack gives the app 3 s to ack. */
  ackTimeoutMs?: number;
  acceptsResponsePayload?: boolean;
}

export interface FakeSocketMode {
  /** Tickets issued by apps.connections.open so far. */
  readonly ticketsIssued: number;
  /** Connections accepted over the fake's life (a reconnect counts again). */
  readonly connectionsOpened: number;
  /** Every envelope sent, in order. */
  readonly envelopes: Envelope[];
  /** Every ack received, in order, including late and duplicate ones. */
  readonly acks: AckRecord[];
  /** Open connections that have been greeted with hello. */
  openConnections(): number;
  /** Resolves once `count` connections have been opened in total (not necessarily still open). */
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  /** Sends an envelope on the newest open connection and waits for its ack (or the deadline). */
  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options?: DeliverOptions,
  ): Promise<DeliveryResult>;
  /** Asks every open connection to reconnect, as Slack does before recycling a server. */
  disconnect(reason?: string): void;
  /** Refuses the next `count` WebSocket upgrades (the client then retries apps.connections.open). */
  refuseNext(count?: number): void;
  /** Envelopes that were never acked. */
  unacked(): Envelope[];
  close(): Promise<void>;
}

interface Connection {
  id: number;
  ws: WebSocket;
  greeted: boolean;
}

interface Pending {
  envelope: Envelope;
  sentAt: number;
  deadline: number;
  resolve: (result: DeliveryResult) => void;
  settled: boolean;
  timer: NodeJS.Timeout;
}

export class FakeSocketModeServer implements FakeSocketMode {
  ticketsIssued = 0;
  connectionsOpened = 0;
  readonly envelopes: Envelope[] = [];
  readonly acks: AckRecord[] = [];
  private readonly tickets = new Set<string>();
  private readonly connections = new Map<number, Connection>();
  private readonly pending = new Map<string, Pending>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private refusals = 0;
  private connectionWaiters: { count: number; resolve: () => void }[] = [];
  private baseUrl = "";

  constructor(
    server: Server,
    private readonly appId = "A0TEST",
  ) {
    server.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head));
  }

  setBaseUrl(httpBase: string): void {
    this.baseUrl = httpBase.replace(/^http/, "ws");
  }

  /** What apps.connections.open answers: a URL carrying a fresh one-time ticket. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    this.ticketsIssued++;
    return `${this.baseUrl}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  openConnections(): number {
    return [...this.connections.values()].filter((c) => c.greeted && c.ws.readyState === c.ws.OPEN).length;
  }

  waitForConnections(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.connectionsOpened >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `fakeSocketMode: ${this.connectionsOpened} connection(s) opened, ${count} expected within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.connectionWaiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: DeliverOptions = {},
  ): Promise<DeliveryResult> {
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: options.acceptsResponsePayload ?? type !== "events_api",
      ...(type === "events_api" ? { retry_attempt: 0, retry_reason: "" } : {}),
    };
    const timeoutMs = options.ackTimeoutMs ?? 3000;
    return new Promise<DeliveryResult>((resolve) => {
      const sentAt = Date.now();
      const entry: Pending = {
        envelope,
        sentAt,
        deadline: sentAt + timeoutMs,
        settled: false,
        resolve,
        timer: setTimeout(() => {
          entry.settled = true;
          resolve({ envelopeId: envelope.envelope_id, acked: false, ms: Date.now() - sentAt });
        }, timeoutMs),
      };
      this.pending.set(envelope.envelope_id, entry);
      this.envelopes.push(envelope);
      this.sendEnvelope(envelope);
    });
  }

  disconnect(reason = "refresh_requested"): void {
    for (const connection of this.connections.values()) {
      if (connection.ws.readyState !== connection.ws.OPEN) continue;
      connection.ws.send(
        JSON.stringify({ type: "disconnect", reason, debug_info: { host: `applink-fake-${connection.id}` } }),
      );
    }
  }

  refuseNext(count = 1): void {
    this.refusals += count;
  }

  unacked(): Envelope[] {
    const acked = new Set(this.acks.map((a) => a.envelopeId));
    return this.envelopes.filter((e) => !acked.has(e.envelope_id));
  }

  async close(): Promise<void> {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    for (const connection of this.connections.values()) connection.ws.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ── internals ─────────────────────────────────────────────────────────────

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    const ticket = url.searchParams.get("ticket") ?? "";
    if (url.pathname !== "/link/" || !this.tickets.delete(ticket) || this.refusals > 0) {
      if (this.refusals > 0) this.refusals--;
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const connection: Connection = { id: ++this.connectionsOpened, ws, greeted: false };
    this.connections.set(connection.id, connection);
    ws.on("message", (data, isBinary) => {
      if (!isBinary) this.onAck(connection, data.toString());
    });
    ws.on("close", () => {
      this.connections.delete(connection.id);
      // Slack redelivers what was not acked on the connection that went away.
      for (const entry of this.pending.values()) {
        if (!entry.settled) setTimeout(() => this.sendEnvelope(entry.envelope), 0);
      }
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.openConnections() + 1,
        debug_info: {
          host: `applink-fake-${connection.id}`,
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: this.appId },
      }),
    );
    connection.greeted = true;
    for (const waiter of [...this.connectionWaiters]) {
      if (this.connectionsOpened >= waiter.count) {
        this.connectionWaiters = this.connectionWaiters.filter((w) => w !== waiter);
        waiter.resolve();
      }
    }
    // Envelopes waiting for a connection go out now.
    for (const entry of this.pending.values()) {
      if (!entry.settled) this.sendEnvelope(entry.envelope);
    }
  }

  private sendEnvelope(envelope: Envelope): void {
    const entry = this.pending.get(envelope.envelope_id);
    if (!entry || entry.settled) return;
    const target = [...this.connections.values()]
      .filter((c) => c.greeted && c.ws.readyState === c.ws.OPEN)
      .at(-1);
    if (!target) return; // sent when a connection opens (accept) or times out
    if (this.sentOn.get(envelope.envelope_id) === target.id) return;
    if (this.sentOn.has(envelope.envelope_id) && envelope.type === "events_api") {
      envelope.retry_attempt = (envelope.retry_attempt ?? 0) + 1;
      envelope.retry_reason = "timeout";
    }
    this.sentOn.set(envelope.envelope_id, target.id);
    target.ws.send(JSON.stringify(envelope));
  }

  private readonly sentOn = new Map<string, number>();

  private onAck(connection: Connection, raw: string): void {
    let message: { envelope_id?: string; payload?: unknown };
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (!message.envelope_id) return;
    const entry = this.pending.get(message.envelope_id);
    const now = Date.now();
    const late = !entry || entry.settled || now > entry.deadline;
    this.acks.push({
      envelopeId: message.envelope_id,
      payload: message.payload,
      ms: entry ? now - entry.sentAt : -1,
      late,
      connection: connection.id,
    });
    if (!entry || entry.settled) return;
    entry.settled = true;
    clearTimeout(entry.timer);
    this.pending.delete(message.envelope_id);
    entry.resolve({
      envelopeId: message.envelope_id,
      acked: !late,
      ...(late ? {} : { payload: message.payload }),
      ms: now - entry.sentAt,
    });
  }
}
