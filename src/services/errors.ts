// Domain errors: each says what went wrong and what to do, in words a Slack user can act on.
// The Slack layer maps them to the right surface (modal field error, ephemeral reply, message update).

export type DomainErrorCode =
  | "invalid_input"
  | "unknown_number"
  | "unknown_agent"
  | "ambiguous_agent"
  | "provider_mismatch"
  | "provider_not_configured"
  | "provider_failed"
  | "agent_at_limit"
  | "number_busy"
  | "number_changed"
  | "verification_failed"
  | "not_allowed"
  | "access_denied"
  | "not_found";

export interface ReplaceOffer {
  numberId: string;
  targetAgentId: string;
  expectedVersion: number;
  heldNumberId: string;
  heldE164: string;
  heldVersion: number;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Which input it concerns, so a modal can show it under the right field. */
    readonly field?: "number" | "agent" | "destination",
    /** For agent_at_limit: the number the agent holds, which Replace would unassign first. */
    readonly replace?: ReplaceOffer,
    /**
     * The message with the people it names rendered by the surface (Slack: a mention); `message`
     * itself names them by user id (and user groups by id). Services never write Slack markup.
     */
    readonly render?: (user: (userId: string) => string, group: (usergroupId: string) => string) => string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
