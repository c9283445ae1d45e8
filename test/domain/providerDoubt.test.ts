// "Might the provider have acted?" as a table: one answer for binding writes and test calls.
import { describe, expect, it } from "vitest";
import { type DoubtReason, type FailureFacts, mightHaveActed } from "../../src/domain/providerDoubt";

describe("might the provider have acted although it did not confirm?", () => {
  it.each<[string, FailureFacts, boolean, DoubtReason]>([
    [
      "an error that is not a provider's (a bug, a dropped socket)",
      { kind: null, status: undefined },
      true,
      "unknown_failure",
    ],
    ["the request timed out", { kind: "timeout", status: undefined }, true, "timed_out"],
    ["the answer could not be read", { kind: "bad_response", status: 200 }, true, "unreadable_answer"],
    ["no answer at all (connection reset)", { kind: "unavailable", status: undefined }, true, "no_answer"],
    ["HTTP 503: the provider answered", { kind: "unavailable", status: 503 }, false, "answered_with_error"],
    ["a refusal (400)", { kind: "rejected", status: 400 }, false, "answered_with_error"],
    ["the key was refused", { kind: "auth", status: 401 }, false, "answered_with_error"],
    ["billing (402)", { kind: "billing", status: 402 }, false, "answered_with_error"],
    ["not found", { kind: "not_found", status: 404 }, false, "answered_with_error"],
    ["rate limited", { kind: "rate_limited", status: 429 }, false, "answered_with_error"],
  ])("%s", (_label, facts, acted, reason) => {
    expect(mightHaveActed(facts)).toEqual({ mightHaveActed: acted, reason });
  });
});
