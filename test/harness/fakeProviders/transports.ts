// Serving fake accounts: nock interceptors on the real hosts, or node:http on loopback.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { PROVIDERS } from "../../../src/providers/types";
import type { FakeProviderAccount } from "./account";
import type { FakeRequest, FakeResponse, ProviderName } from "./types";

export const DEFAULT_BASE_URLS: Record<ProviderName, string> = {
  retell: "https://api.retellai.com",
  vapi: "https://api.vapi.ai",
  bland: "https://api.bland.ai",
};

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The account whose key the request carries, else the first one (which then answers 401). */
function dispatch(accounts: FakeProviderAccount[], provider: ProviderName, req: FakeRequest): FakeResponse {
  const mine = accounts.filter((a) => a.provider === provider);
  const account = mine.find((a) => a.accepts(req.headers ?? {})) ?? mine[0];
  if (account) return account.handle(req);
  return { status: 503, body: { message: `no fake ${provider} account is mounted` } };
}

const bodyText = (response: FakeResponse) =>
  response.raw ?? (response.body === undefined ? "" : JSON.stringify(response.body));

const networkError = (code: string) => Object.assign(new Error(`socket hang up (${code})`), { code });

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

/** `/api/v2/x?y` under a base URL with path `/api` → `/v2/x?y`. */
function stripPrefix(pathWithQuery: string, prefix: string): string {
  if (!prefix || !pathWithQuery.startsWith(prefix)) return pathWithQuery;
  const rest = pathWithQuery.slice(prefix.length);
  return rest.startsWith("/") || rest.startsWith("?") || rest === "" ? rest || "/" : pathWithQuery;
}

/**
 * Persisted nock interceptors, for every method, on each mounted provider's base URL, answering from
 * the accounts. Only providers with an account are intercepted. Leaves other hosts (e.g. loopback) to
 * nock's net-connect rules. Returns a function that removes exactly these interceptors.
 */
export function mountWithNock(
  accounts: FakeProviderAccount[],
  baseUrls: Partial<Record<ProviderName, string>> = {},
): () => void {
  const interceptors: nock.Interceptor[] = [];
  for (const provider of PROVIDERS) {
    if (!accounts.some((a) => a.provider === provider)) continue;
    const base = new URL(baseUrls[provider] ?? DEFAULT_BASE_URLS[provider]);
    const prefix = base.pathname.replace(/\/+$/, "");
    const scope = nock(base.origin).persist();
    for (const method of METHODS) {
      const interceptor = scope.intercept((uri) => !prefix || uri.startsWith(prefix), method);
      interceptor.reply(async function (uri, body) {
        const response = dispatch(accounts, provider, {
          method,
          path: stripPrefix(uri, prefix),
          body: body === "" ? undefined : body,
          headers: stringHeaders(this.req.headers),
        });
        if (response.delayMs) await sleep(response.delayMs);
        if (response.holdUntil) await response.holdUntil;
        if (response.networkError) throw networkError(response.networkError);
        return [response.status, bodyText(response), response.headers ?? {}] as const;
      });
      interceptors.push(interceptor);
    }
  }
  return () => {
    for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
  };
}

export interface LoopbackProviders {
  /** `http://127.0.0.1:PORT` per provider: pass as the client's `baseURL`. */
  urls: Record<ProviderName, string>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", reject);
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (text === "") return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(text);
      }
    });
  });
}

/** One node:http server per provider on 127.0.0.1 (random ports), answering from the accounts. */
export async function serveOnLoopback(accounts: FakeProviderAccount[]): Promise<LoopbackProviders> {
  const servers: Server[] = [];
  const urls = {} as Record<ProviderName, string>;
  for (const provider of PROVIDERS) {
    const server = createServer(async (req, res) => {
      const response = dispatch(accounts, provider, {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        body: await readBody(req),
        headers: stringHeaders(req.headers),
      });
      if (response.delayMs) await sleep(response.delayMs);
      if (response.holdUntil) await response.holdUntil;
      if (response.networkError) {
        req.socket.destroy();
        return;
      }
      res.writeHead(response.status, response.headers ?? {});
      res.end(bodyText(response));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    servers.push(server);
    urls[provider] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    urls,
    async close() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
