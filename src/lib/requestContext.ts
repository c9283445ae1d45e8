// The Slack request being handled, visible to every log line written while handling it
// (services included) without passing a logger through every call.
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * How a request ended: "ok"; "refused" (a rule or the user's input said no, and the user was told);
 * "provider_error" and "database_error" (the user was told what failed); "error" (unexpected);
 * "foreign_workspace" (signed, but from another workspace: refused unseen).
 */
export type RequestOutcome =
  | "ok"
  | "refused"
  | "provider_error"
  | "database_error"
  | "error"
  | "foreign_workspace";

export interface RequestContext {
  requestId: string;
  /** Set by the error-to-surface mapper when the user was answered with an error; unset: ok. */
  outcome?: RequestOutcome;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** Records how the request being handled ended; the first failure recorded wins. */
export function markOutcome(outcome: RequestOutcome): void {
  const context = requestContext.getStore();
  if (context && !context.outcome) context.outcome = outcome;
}
