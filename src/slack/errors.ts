// One mapping from any error to the words a Slack user sees. Domain and provider errors already
// say what happened and what to do; anything else is logged with a reference the user can quote.
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger";
import { isProviderError } from "../providers/errors";
import { isDomainError } from "../services/errors";

export function userMessageFor(error: unknown, logger: Logger): string {
  if (isDomainError(error) || isProviderError(error)) return error.message;
  if (isDatabaseError(error)) {
    logger.error({ err: error }, "database error while handling a Slack request");
    return "Switchboard's database is not answering, so nothing was changed. Try again in a minute; if it persists, an operator should check DATABASE_URL and the database server (`/readyz` reports it).";
  }
  const reference = randomUUID().slice(0, 8);
  logger.error({ err: error, reference }, "unexpected error while handling a Slack request");
  return `Switchboard hit an unexpected error (reference ${reference}). Nothing was changed; try again, and give an operator the reference if it happens again.`;
}

/** Prisma's own errors, and the drivers' when the connection is gone (PGlite closed, PostgreSQL down). */
function isDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    /^PrismaClient|^DriverAdapterError$/.test(error.name) ||
    /PGlite is closed|Connection terminated|terminating connection|Can't reach database server/i.test(
      error.message,
    ) ||
    ["57P01", "57P03", "08001", "08006"].includes((error as { code?: string }).code ?? "")
  );
}

/** The modal field an error belongs to, if any. */
export function fieldOf(error: unknown): "number" | "agent" | "destination" | undefined {
  return isDomainError(error) ? error.field : undefined;
}
