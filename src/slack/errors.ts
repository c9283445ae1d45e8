// One mapping from any error to the words a Slack user sees. Domain and provider errors already
// say what happened and what to do; anything else is logged with a reference the user can quote.
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger";
import { isProviderError } from "../providers/errors";
import { isDomainError } from "../services/errors";

export function userMessageFor(error: unknown, logger: Logger): string {
  if (isDomainError(error) || isProviderError(error)) return error.message;
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, "unexpected error while handling a Slack request");
  return `Switchboard hit an unexpected error (reference ${reference}). Nothing was changed; try again, and give an operator the reference if it happens again.`;
}

/** The modal field an error belongs to, if any. */
export function fieldOf(error: unknown): "number" | "agent" | "destination" | undefined {
  return isDomainError(error) ? error.field : undefined;
}
