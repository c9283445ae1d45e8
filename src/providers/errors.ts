import type { FailureFacts } from "../domain/providerDoubt";
import { PROVIDER_LABEL, type ProviderName } from "./types";

export type ProviderErrorKind =
  | "auth"
  /** The provider refuses because of the account's billing (Retell 402). */
  | "billing"
  /** The key works but the account is not active (Bland `/v1/me` status). */
  | "account_inactive"
  | "not_found"
  | "rate_limited"
  | "unavailable"
  | "timeout"
  | "bad_response"
  | "rejected";

export interface ProviderErrorInit {
  provider: ProviderName;
  /** What we were doing, as a verb phrase: "list numbers", "bind number". */
  operation: string;
  kind: ProviderErrorKind;
  message: string;
  status?: number;
  field?: string;
  providerMessage?: string;
  cause?: unknown;
  /** What to do about it, when it differs from the message's own hint. */
  fix?: string;
  /** A two-call move failed half way and the restore failed too: the number now answers no calls. */
  bindingLost?: boolean;
  /** A two-call move failed half way, and the previous binding was put back. */
  restored?: boolean;
}

/** Every failure talking to a provider; `message` is safe to show in Slack as is. */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly provider: ProviderName;
  readonly operation: string;
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  /** For bad_response: the path of the first field that failed validation. */
  readonly field?: string;
  /** The provider's own error text, verbatim. */
  readonly providerMessage?: string;
  readonly fix?: string;
  readonly bindingLost?: boolean;
  readonly restored?: boolean;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.provider = init.provider;
    this.operation = init.operation;
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.field !== undefined) this.field = init.field;
    if (init.providerMessage !== undefined) this.providerMessage = init.providerMessage;
    if (init.fix !== undefined) this.fix = init.fix;
    if (init.bindingLost) this.bindingLost = true;
    if (init.restored) this.restored = true;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/** A lookup's answer with "not found" as null; every other failure still throws. */
export async function nullIfNotFound<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (isProviderError(error) && error.kind === "not_found") return null;
    throw error;
  }
}

const IRREGULAR_GERUNDS: Record<string, string> = { get: "getting", set: "setting", put: "putting" };

/** "list numbers" → "listing numbers", for "while …" clauses. */
export function gerund(operation: string): string {
  const [verb = "", ...rest] = operation.split(" ");
  const ing = IRREGULAR_GERUNDS[verb] ?? (verb.endsWith("e") ? `${verb.slice(0, -1)}ing` : `${verb}ing`);
  return [ing, ...rest].join(" ");
}

export const envVar = (provider: ProviderName, suffix: "API_KEY" | "API_URL") =>
  `${provider.toUpperCase()}_${suffix}`;

type Facts = Pick<ProviderErrorInit, "provider" | "operation" | "status" | "providerMessage" | "cause">;

/**
 * A rejected key. Retell and Vapi document what their 401 means, so they get their own fix;
 * otherwise (and for 403) the generic one.
 */
export function authError(facts: Facts): ProviderError {
  const label = PROVIDER_LABEL[facts.provider];
  const key = envVar(facts.provider, "API_KEY");
  if (facts.status === 401 && facts.provider === "retell") {
    const fix = `create or copy a key in the Retell dashboard (Settings → API Keys), set ${key} to it and restart Switchboard`;
    return new ProviderError({
      ...facts,
      kind: "auth",
      fix,
      message: `Retell rejected the API key (HTTP 401: missing or invalid): ${fix}`,
    });
  }
  if (facts.status === 401 && facts.provider === "vapi") {
    const fix = `${key} must be the organization's private API key (Vapi dashboard → API Keys), not the public key; set it and restart Switchboard`;
    return new ProviderError({
      ...facts,
      kind: "auth",
      fix,
      message: `Vapi rejected the API key (HTTP 401): ${fix}`,
    });
  }
  return new ProviderError({
    ...facts,
    kind: "auth",
    fix: `set a valid key in ${key} and restart Switchboard`,
    message: `the ${label} API key is invalid or lacks permission: check ${key}`,
  });
}

/** HTTP 402: the account's billing stops the provider from serving us (Retell: trial ended, no payment method). */
export function billingError(facts: Facts): ProviderError {
  const label = PROVIDER_LABEL[facts.provider];
  const said = facts.providerMessage ? ` (${facts.providerMessage})` : "";
  const fix = `check the account's payment method and balance in the ${label} dashboard (Billing); nothing is wrong with Switchboard or the key`;
  return new ProviderError({
    ...facts,
    kind: "billing",
    fix,
    message: `${label} billing problem: ${label} refused ${gerund(facts.operation)} with HTTP 402${said}; ${fix}`,
  });
}

/** The key works but the account is not active (Bland reports `status` on `/v1/me`). */
export function accountInactiveError(facts: Facts & { accountStatus: string }): ProviderError {
  const { accountStatus, ...rest } = facts;
  const label = PROVIDER_LABEL[facts.provider];
  const fix = `open the ${label} dashboard and check the account's status and billing; ${label} does not route calls for an inactive account`;
  return new ProviderError({
    ...rest,
    kind: "account_inactive",
    fix,
    message: `the ${label} account is "${accountStatus}", not active: ${fix}`,
  });
}

export function notFoundError(facts: Facts & { subject?: string }): ProviderError {
  const { subject, ...rest } = facts;
  const label = PROVIDER_LABEL[facts.provider];
  const message = subject
    ? `${label} did not find ${subject} (is it in this ${label} account?)`
    : `${label} answered "not found" while ${gerund(facts.operation)}: check ${envVar(facts.provider, "API_URL")}`;
  return new ProviderError({ ...rest, kind: "not_found", message });
}

export function rejectedError(facts: Facts & { subject?: string }): ProviderError {
  const { subject, ...rest } = facts;
  const label = PROVIDER_LABEL[facts.provider];
  const what = subject ? `${gerund(facts.operation)} ${subject}` : gerund(facts.operation);
  // A 2xx carrying an error envelope (Bland) has no telling status code.
  const status = facts.status === undefined || facts.status < 300 ? "" : ` (HTTP ${facts.status})`;
  const said = facts.providerMessage ? `: ${facts.providerMessage}` : "";
  return new ProviderError({
    ...rest,
    kind: "rejected",
    message: `${label} refused ${what}${status}${said}; check the request or the ${label} account`,
  });
}

export function rateLimitedError(facts: Facts): ProviderError {
  const label = PROVIDER_LABEL[facts.provider];
  return new ProviderError({
    ...facts,
    kind: "rate_limited",
    message: `${label} is rate limiting us (HTTP 429 while ${gerund(facts.operation)}); try again in a minute`,
  });
}

/** `detail` names what went wrong, e.g. "HTTP 503" or "ECONNRESET". */
export function unavailableError(facts: Facts & { detail: string }): ProviderError {
  const { detail, ...rest } = facts;
  const label = PROVIDER_LABEL[facts.provider];
  return new ProviderError({
    ...rest,
    kind: "unavailable",
    message: `${label} is not answering (${detail} while ${gerund(facts.operation)}); try again in a few minutes`,
  });
}

export function timeoutError(facts: Facts & { timeoutMs: number }): ProviderError {
  const { timeoutMs, ...rest } = facts;
  const label = PROVIDER_LABEL[facts.provider];
  return new ProviderError({
    ...rest,
    kind: "timeout",
    message: `${label} is not answering (timeout after ${timeoutMs / 1000} s while ${gerund(facts.operation)}); try again in a few minutes`,
  });
}

/** `field` is the failing JSON path; omit it when the body is not JSON at all. */
export function badResponseError(facts: Facts & { field?: string; problem: string }): ProviderError {
  const { problem, ...rest } = facts;
  const label = PROVIDER_LABEL[facts.provider];
  const where = facts.field === undefined ? problem : `field \`${facts.field}\`: ${problem}`;
  return new ProviderError({
    ...rest,
    kind: "bad_response",
    message: `${label} answered ${gerund(facts.operation)} with an unexpected shape (${where})`,
  });
}

/** What the domain's "might the provider have acted?" rule needs to know about a failure. */
export function failureFacts(error: unknown): FailureFacts {
  return isProviderError(error)
    ? { kind: error.kind, status: error.status }
    : { kind: null, status: undefined };
}
