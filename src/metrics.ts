// GET /metrics in Prometheus' text format (prom-client): Slack requests by kind and outcome, ack
// latency, provider calls and retries, and gauges read from the database at scrape time (open
// findings, pending approvals, last successful sync per provider: three indexed queries per scrape).
// Each Switchboard has its own registry (tests run several in one process); the process figures
// (memory, event loop, GC) are collected once per process and served beside them.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "./db/database";
import type { RequestOutcome } from "./lib/requestContext";
import type { ProviderCallObserver } from "./providers/http";

export type { RequestOutcome };

/** What Slack sent, as a bounded label. */
export type RequestKind =
  | "command"
  | "action"
  | "view_submission"
  | "view_closed"
  | "options"
  | "event"
  | "shortcut"
  | "other";

export interface Metrics {
  registry: Registry;
  request(kind: RequestKind, outcome: RequestOutcome, seconds: number): void;
  ack(kind: RequestKind, seconds: number): void;
  providers: ProviderCallObserver;
  /** The exposition: this Switchboard's series and the process'. */
  render(): Promise<string>;
  contentType: string;
}

let processRegistry: Registry | undefined;
/** Memory, CPU, event-loop lag and GC of the process: one collector per process, however many apps. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: "switchboard_slack_requests_total",
    help: "Slack requests handled, by kind and outcome",
    labelNames: ["kind", "outcome"] as const,
    registers,
  });
  const handled = new Histogram({
    name: "switchboard_slack_request_duration_seconds",
    help: "Time from receiving a Slack request to the end of its handling (work after the ack included)",
    labelNames: ["kind"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const acks = new Histogram({
    name: "switchboard_slack_ack_seconds",
    help: "Time from receiving a Slack request (signature verified) to its ack; Slack allows 3 s",
    labelNames: ["kind"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3],
    registers,
  });
  const providerCalls = new Counter({
    name: "switchboard_provider_requests_total",
    help: "HTTP attempts at a provider, by provider and status (an HTTP status, timeout or network_error)",
    labelNames: ["provider", "status"] as const,
    registers,
  });
  const providerRetries = new Counter({
    name: "switchboard_provider_retries_total",
    help: "Provider attempts retried after a failure, by provider and the failed attempt's status",
    labelNames: ["provider", "status"] as const,
    registers,
  });
  const providerSeconds = new Histogram({
    name: "switchboard_provider_request_duration_seconds",
    help: "Duration of one HTTP attempt at a provider",
    labelNames: ["provider"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  // Gauges from the database, read when scraped. A database that does not answer leaves them
  // empty and sets switchboard_database_up to 0, rather than failing the whole scrape.
  const databaseUp = new Gauge({
    name: "switchboard_database_up",
    help: "1 if the database answered the last scrape's queries",
    registers,
  });
  const openFindings = new Gauge({
    name: "switchboard_open_findings",
    help: "Open routing-check findings (snoozed included), by kind",
    labelNames: ["kind"] as const,
    registers,
  });
  const pendingApprovals = new Gauge({
    name: "switchboard_pending_approvals",
    help: "Approval requests waiting for an approver",
    registers,
  });
  const lastSync = new Gauge({
    name: "switchboard_provider_last_successful_sync_timestamp_seconds",
    help: "When the inventory sync last succeeded for each enabled provider (Unix time; absent if never)",
    labelNames: ["provider"] as const,
    registers,
  });
  // Read once per scrape, before the registry is rendered.
  const readDatabase = async () => {
    try {
      const [findings, approvals, accounts] = await Promise.all([
        db.routingFinding.groupBy({ by: ["kind"], where: { resolvedAt: null }, _count: { _all: true } }),
        db.approvalRequest.count({ where: { status: "pending" } }),
        db.providerAccount.findMany({
          where: { enabled: true, lastSyncOkAt: { not: null } },
          select: { provider: true, lastSyncOkAt: true },
        }),
      ]);
      // Reset only once the answers are in, so a concurrent scrape never sees a half-set gauge.
      openFindings.reset();
      lastSync.reset();
      for (const row of findings) openFindings.set({ kind: row.kind }, row._count._all);
      pendingApprovals.set(approvals);
      for (const row of accounts)
        lastSync.set({ provider: row.provider }, row.lastSyncOkAt!.getTime() / 1000);
      databaseUp.set(1);
    } catch {
      openFindings.reset();
      lastSync.reset();
      pendingApprovals.reset();
      databaseUp.set(0);
    }
  };
  const processes = processMetrics();
  return {
    registry,
    contentType: registry.contentType,
    request: (kind, outcome, seconds) => {
      requests.inc({ kind, outcome });
      handled.observe({ kind }, seconds);
    },
    ack: (kind, seconds) => acks.observe({ kind }, seconds),
    providers: {
      attempt: ({ provider, status, seconds }) => {
        providerCalls.inc({ provider, status });
        providerSeconds.observe({ provider }, seconds);
      },
      retry: ({ provider, status }) => providerRetries.inc({ provider, status }),
    },
    render: async () => {
      await readDatabase();
      return `${await registry.metrics()}\n${await processes.metrics()}`;
    },
  };
}

/** The /metrics route, for the HTTP receiver's custom routes and the Socket Mode health server. */
export function metricsRoute(metrics: Metrics) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    metrics.render().then(
      (body) => {
        res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
        res.end(body);
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  };
}

/** The kind of a Slack payload, as Bolt dispatches it. */
export function requestKindOf(body: unknown): RequestKind {
  const b = body as { command?: string; type?: string; event?: unknown };
  if (b.command) return "command";
  if (b.event) return "event";
  switch (b.type) {
    case "block_actions":
    case "interactive_message":
      return "action";
    case "view_submission":
      return "view_submission";
    case "view_closed":
      return "view_closed";
    case "block_suggestion":
    case "dialog_suggestion":
      return "options";
    case "shortcut":
    case "message_action":
      return "shortcut";
    default:
      return "other";
  }
}
