// The one failure policy for every provider call: deadline, bounded retries, concurrency, error mapping.
import { createRequire } from "node:module";
import type { AxiosRequestConfig, AxiosResponse, AxiosStatic, RawAxiosResponseHeaders } from "axios";
import pLimit from "p-limit";
import type { z } from "zod";
import {
  authError,
  badResponseError,
  billingError,
  notFoundError,
  type ProviderError,
  rateLimitedError,
  rejectedError,
  timeoutError,
  unavailableError,
} from "./errors";
import type { ProviderName } from "./types";

export interface ProviderHttpOptions {
  /** Deadline for one attempt, from connect to the last body byte. */
  timeoutMs?: number;
  /** Extra attempts after the first. */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Requests in flight at once for this provider. */
  concurrency?: number;
  /** Told of every attempt and retry (the /metrics counters). */
  observer?: ProviderCallObserver;
  /** Where a retry is logged (one info line each). */
  logger?: { info(fields: object, message: string): void };
}

export interface ProviderCallObserver {
  /** `status`: the HTTP status, or "timeout" / "network_error" when there was no answer. */
  attempt(call: { provider: ProviderName; operation: string; status: string; seconds: number }): void;
  retry(call: { provider: ProviderName; operation: string; status: string }): void;
}

/** What each `create…Provider` takes: the account plus optional overrides of the failure policy. */
export interface ProviderClientOptions extends ProviderHttpOptions {
  apiKey: string;
  /** Defaults to the provider's public API host. */
  baseURL?: string;
}

export interface ProviderHttpConfig extends ProviderHttpOptions {
  provider: ProviderName;
  baseURL: string;
  headers: Record<string, string>;
  /** The provider may answer 2xx with an error envelope (`status: "error"` or `errors: [...]`). */
  errorsInOkBody?: boolean;
}

export interface RequestOptions {
  /** What a not-found answer is about, in the user's words: "+14155550123", "agent agent_123". */
  subject?: string;
  /** Whether sending twice is harmless. Defaults to true except for POST. */
  idempotent?: boolean;
}

export interface ProviderHttp {
  request<T>(
    operation: string,
    config: AxiosRequestConfig,
    schema: z.ZodType<T>,
    options?: RequestOptions,
  ): Promise<T>;
}

/** A path segment with `+` left literal, as providers and nock expect for E.164 numbers. */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replaceAll("%2B", "+");
}

// The request never reached the provider, so even a non-idempotent call is safe to repeat.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

// The CommonJS build of axios, the copy Bolt's Web API client already loaded: an ESM import would
// load axios's ESM build beside it, a second copy of the library (~4 MB resident; issue 16, memory).
const axios = createRequire(import.meta.url)("axios") as AxiosStatic;

type Attempt = { response: AxiosResponse<string> } | { error: unknown; timedOut: boolean };
type Json = ReturnType<typeof parseJson>;

interface Failure {
  error: ProviderError;
  retry: "always" | "if_idempotent" | "never";
  retryAfterMs?: number;
}

export function createProviderHttp(config: ProviderHttpConfig): ProviderHttp {
  const {
    provider,
    timeoutMs = 10_000,
    retries = 3,
    baseDelayMs = 300,
    maxDelayMs = 10_000,
    concurrency = 4,
    observer,
    logger,
  } = config;
  const client = axios.create({
    baseURL: config.baseURL,
    headers: { Accept: "application/json", ...config.headers },
    // We parse and classify every answer ourselves, so axios must neither parse nor throw on status.
    responseType: "text",
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  });
  const limit = pLimit(concurrency);

  async function attemptOnce(request: AxiosRequestConfig): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      return { response: await client.request<string>({ ...request, signal: controller.signal }) };
    } catch (error) {
      return { error, timedOut };
    } finally {
      clearTimeout(timer);
    }
  }

  function classify(operation: string, attempt: Attempt, options: RequestOptions): Failure | { body: Json } {
    const facts = { provider, operation };
    if (!("response" in attempt)) {
      if (attempt.timedOut) return { error: timeoutError({ ...facts, timeoutMs }), retry: "if_idempotent" };
      const code = axios.isAxiosError(attempt.error) ? attempt.error.code : undefined;
      const error = unavailableError({ ...facts, detail: code ?? "network error", cause: attempt.error });
      return { error, retry: code && NOT_SENT_CODES.has(code) ? "always" : "if_idempotent" };
    }
    const { status, data, headers } = attempt.response;
    const body = parseJson(data);
    const providerMessage = body.ok ? messageOf(body.value) : snippet(data);
    const withStatus = { ...facts, status, ...(providerMessage ? { providerMessage } : {}) };
    if (status >= 200 && status < 300) {
      if (config.errorsInOkBody && body.ok && isErrorEnvelope(body.value)) {
        return { error: rejectedError({ ...withStatus, subject: options.subject }), retry: "never" };
      }
      return { body };
    }
    const retryAfterMs = retryAfterOf(headers);
    if (status === 401 || status === 403) return { error: authError(withStatus), retry: "never" };
    // Retell documents 402 for billing ("Trial has ended…"): not an outage, and retrying cannot help.
    if (status === 402) return { error: billingError(withStatus), retry: "never" };
    if (status === 429) return { error: rateLimitedError(withStatus), retry: "always", retryAfterMs };
    if (status === 408 || status >= 500) {
      const error = unavailableError({ ...withStatus, detail: `HTTP ${status}` });
      return { error, retry: "if_idempotent", retryAfterMs };
    }
    // Retell answers 422 "Cannot find requested asset under given api key" for unknown ids.
    if (status === 404 || (status === 422 && /cannot find requested asset/i.test(providerMessage ?? ""))) {
      return { error: notFoundError({ ...withStatus, subject: options.subject }), retry: "never" };
    }
    return { error: rejectedError({ ...withStatus, subject: options.subject }), retry: "never" };
  }

  function validate<T>(operation: string, body: Json, schema: z.ZodType<T>): T {
    if (!body.ok) throw badResponseError({ provider, operation, problem: "the body is not JSON" });
    const parsed = schema.safeParse(body.value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") || "(root)";
    const problem =
      issue?.code === "invalid_type" ? `expected ${issue.expected}` : (issue?.message ?? "invalid");
    throw badResponseError({ provider, operation, field, problem, cause: parsed.error });
  }

  return {
    async request(operation, request, schema, options = {}) {
      const idempotent = options.idempotent ?? (request.method ?? "get").toLowerCase() !== "post";
      for (let attempt = 0; ; attempt++) {
        const started = performance.now();
        const outcome = await limit(() => attemptOnce(request));
        const status = statusOf(outcome);
        observer?.attempt({ provider, operation, status, seconds: (performance.now() - started) / 1000 });
        const verdict = classify(operation, outcome, options);
        if ("body" in verdict) return validate(operation, verdict.body, schema);
        const retryable = verdict.retry === "always" || (verdict.retry === "if_idempotent" && idempotent);
        if (!retryable || attempt >= retries) throw verdict.error;
        const delayMs = Math.round(backoffMs(attempt, verdict.retryAfterMs, baseDelayMs, maxDelayMs));
        observer?.retry({ provider, operation, status });
        logger?.info(
          { provider, operation, status, attempt: attempt + 1, of: retries + 1, delayMs },
          `${provider} ${operation} answered ${status}; retrying in ${delayMs} ms`,
        );
        await sleep(delayMs);
      }
    },
  };
}

function statusOf(attempt: Attempt): string {
  if ("response" in attempt) return String(attempt.response.status);
  return attempt.timedOut ? "timeout" : "network_error";
}

/** Full jitter, unless the provider said how long to wait; either way never longer than maxMs. */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, baseMs: number, maxMs: number) {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxMs);
  return Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
}

/** `retry-after-ms` (milliseconds), else `Retry-After` as seconds or an HTTP date. */
export function retryAfterOf(headers: RawAxiosResponseHeaders | Record<string, unknown>): number | undefined {
  const ms = Number(headers["retry-after-ms"] ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers["retry-after"];
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseJson(text: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof text !== "string") return { ok: true, value: text };
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isErrorEnvelope(body: unknown): boolean {
  if (!isRecord(body)) return false;
  const { status, errors } = body;
  return status === "error" || (errors != null && !(Array.isArray(errors) && errors.length === 0));
}

/**
 * The provider's error text from any of the shapes they use: `{message}` (Retell, Bland),
 * `{message: string[]}` (Vapi), `{errors: [{message}]}` (Bland), `{error}`.
 */
export function messageOf(body: unknown): string | undefined {
  if (typeof body === "string") return body || undefined;
  if (!isRecord(body)) return undefined;
  const texts = (value: unknown): string[] => {
    if (typeof value === "string") return value ? [value] : [];
    if (Array.isArray(value)) return value.flatMap(texts);
    if (isRecord(value)) return texts(value.message ?? value.error);
    return [];
  };
  const found = [body.message, body.errors, body.error].map(texts).find((list) => list.length > 0);
  return found?.join("; ");
}

function snippet(text: unknown): string | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  return trimmed ? trimmed.slice(0, 200) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
