// Turns a change outcome into what the user sees, the same way from every entry point
// (typed command, confirmation button, modal): applied, confirm, approval pending, no-op.
import type { ChangeOutcome, ChangeRequest } from "../../services/assignment";
import { isDomainError } from "../../services/errors";
import { userMessageFor } from "../errors";
import { approvalPendingMessage } from "../views/approvalMessage";
import type { SlackMessage } from "../views/blocks";
import {
  appliedChangeMessage,
  atLimitMessage,
  confirmChangeMessage,
  errorMessage,
  noopMessage,
} from "../views/changeMessages";
import type { ListenerDeps } from "./deps";

export async function messageForOutcome(
  deps: ListenerDeps,
  outcome: ChangeOutcome,
  request: Pick<ChangeRequest, "actor" | "source">,
): Promise<SlackMessage | null> {
  switch (outcome.outcome) {
    case "applied":
      return appliedChangeMessage(outcome.change);
    case "noop":
      return noopMessage(outcome.reason);
    case "confirm":
      return confirmChangeMessage(outcome.kind, outcome.plan, outcome.reason);
    case "approval": {
      const requested = await deps.services.approvals.request(
        outcome.plan,
        outcome.kind,
        request.actor,
        request.source,
      );
      return approvalPendingMessage(requested.card, requested.posted, requested.approversConfigured);
    }
    case "duplicate":
      return null;
  }
}

/** Runs a change request and answers with the message for its outcome, or for its error. */
export async function changeAndDescribe(
  deps: ListenerDeps,
  request: ChangeRequest,
): Promise<SlackMessage | null> {
  try {
    const outcome = await deps.services.assignment.requestChange(request);
    return await messageForOutcome(deps, outcome, request);
  } catch (error) {
    if (isDomainError(error) && error.replace) return atLimitMessage(error.message, error.replace);
    return errorMessage(userMessageFor(error, deps.logger));
  }
}
