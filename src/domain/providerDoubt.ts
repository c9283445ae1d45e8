// "Might the provider have acted although it did not confirm?" — one answer for every write that
// changes something at a provider (a binding, a test call). A provider that answered with an error
// status refused; one that never answered, answered too late or answered unreadably may have acted.
// Services record a binding left in doubt for sync to settle, and tell the user a call may still ring.

export interface FailureFacts {
  /** The provider client's classification of the failure; null when it did not come from one. */
  kind: string | null;
  /** The HTTP status the provider answered with, if it answered at all. */
  status: number | undefined;
}

export type DoubtReason =
  | "unknown_failure"
  | "timed_out"
  | "unreadable_answer"
  | "no_answer"
  | "answered_with_error";

export interface Doubt {
  mightHaveActed: boolean;
  reason: DoubtReason;
}

export function mightHaveActed(facts: FailureFacts): Doubt {
  if (facts.kind === null) return { mightHaveActed: true, reason: "unknown_failure" };
  if (facts.kind === "timeout") return { mightHaveActed: true, reason: "timed_out" };
  if (facts.kind === "bad_response") return { mightHaveActed: true, reason: "unreadable_answer" };
  if (facts.kind === "unavailable" && facts.status === undefined)
    return { mightHaveActed: true, reason: "no_answer" };
  return { mightHaveActed: false, reason: "answered_with_error" };
}
