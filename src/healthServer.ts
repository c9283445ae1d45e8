// GET /healthz and GET /readyz on PORT when Bolt serves no HTTP of its own (Socket Mode).
// A plain node:http server, so later routes (/metrics) can be added beside these two.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Readiness {
  ready: boolean;
  /** What is not ready, in words an operator can act on. */
  reasons: string[];
}

export type HealthRoute = (req: IncomingMessage, res: ServerResponse) => void;

export interface HealthServer {
  /** The port actually listened on (PORT=0 picks a free one). */
  port: number;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** The two health routes, shared by the HTTP receiver's custom routes and the Socket Mode server. */
export function healthRoutes(readiness: () => Promise<Readiness>): Record<string, HealthRoute> {
  return {
    "/healthz": (_req, res) => sendJson(res, 200, { status: "ok" }),
    "/readyz": (_req, res) => {
      readiness().then(
        ({ ready, reasons }) =>
          sendJson(res, ready ? 200 : 503, ready ? { status: "ready" } : { status: "not ready", reasons }),
        (error: unknown) =>
          sendJson(res, 503, {
            status: "not ready",
            reasons: [`readiness check failed: ${error instanceof Error ? error.message : String(error)}`],
          }),
      );
    },
  };
}

export async function startHealthServer(
  port: number,
  routes: Record<string, HealthRoute>,
  host?: string,
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = routes[path];
    if (!route) return sendJson(res, 404, { error: "not found", routes: Object.keys(routes) });
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return sendJson(res, 405, { error: "method not allowed" });
    }
    route(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `port ${port} is already in use: set PORT to a free port (health checks are served there)`
            : `cannot listen on port ${port} for /healthz and /readyz: ${error.message}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
