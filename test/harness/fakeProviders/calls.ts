// Test calls: provider-native status sequences and the create/get bookkeeping. Internal.
import { iso, type Store } from "./store";
import type { CallOutcome, CallScript, CallSnapshot, FakeCall, ProviderName } from "./types";

/** Seconds from creation until the callee picks up, in the generated Vapi/Retell timestamps. */
const RING_MS = 2_000;

/** The status snapshots a call walks through for an outcome, in the provider's own vocabulary. */
export function outcomeStatuses(
  provider: ProviderName,
  outcome: CallOutcome,
  durationSec: number,
  createdAt: number,
): CallSnapshot[] {
  const started = createdAt + RING_MS;
  const ended = started + durationSec * 1000;
  if (provider === "retell") {
    const registered = { call_status: "registered" };
    const notConnected = (reason: string) => ({
      call_status: "not_connected",
      disconnection_reason: reason,
      duration_ms: 0,
    });
    switch (outcome) {
      case "answered":
        return [
          registered,
          { call_status: "ongoing", start_timestamp: started },
          {
            call_status: "ended",
            disconnection_reason: "agent_hangup",
            start_timestamp: started,
            end_timestamp: ended,
            duration_ms: durationSec * 1000,
          },
        ];
      case "no_answer":
        return [registered, notConnected("dial_no_answer")];
      case "busy":
        return [registered, notConnected("dial_busy")];
      case "failed":
        return [registered, { call_status: "error", disconnection_reason: "error_unknown" }];
    }
  }
  if (provider === "vapi") {
    const queued = { status: "queued" };
    const ringing = { status: "ringing" };
    const endedWith = (endedReason: string) => ({ status: "ended", endedReason, endedAt: iso(started) });
    switch (outcome) {
      case "answered":
        return [
          queued,
          ringing,
          { status: "in-progress", startedAt: iso(started) },
          {
            status: "ended",
            endedReason: "customer-ended-call",
            startedAt: iso(started),
            endedAt: iso(ended),
          },
        ];
      case "no_answer":
        return [queued, ringing, endedWith("customer-did-not-answer")];
      case "busy":
        return [queued, ringing, endedWith("customer-busy")];
      case "failed":
        return [queued, endedWith("call.start.error-get-phone-number")];
    }
  }
  const queued = { completed: false, queue_status: "queued", status: null };
  const done = (extra: object) => ({ completed: true, queue_status: "complete", call_length: 0, ...extra });
  switch (outcome) {
    case "answered":
      return [
        queued,
        { completed: false, queue_status: "started", status: null },
        done({
          status: "completed",
          answered_by: "human",
          call_ended_by: "USER",
          call_length: durationSec / 60,
        }),
      ];
    case "no_answer":
      return [queued, done({ status: "no-answer", answered_by: "no-answer" })];
    case "busy":
      return [queued, done({ status: "busy" })];
    case "failed":
      return [
        queued,
        done({ queue_status: "queue_error", status: "failed", error_message: "Unserviced area" }),
      ];
  }
}

/** The next scripted call (or the default answered call); `reject` when creation must fail. */
export function takeScript(
  store: Store,
  createdAt: number,
): { statuses: CallSnapshot[] } | { reject: { status: number; message?: string; body?: unknown } } {
  const script: CallScript = store.callScripts.shift() ?? { outcome: "answered" };
  if ("reject" in script) return script;
  if ("statuses" in script) {
    if (script.statuses.length === 0) throw new Error("scriptCall: statuses must not be empty");
    return { statuses: script.statuses };
  }
  return { statuses: outcomeStatuses(store.provider, script.outcome, script.durationSec ?? 42, createdAt) };
}

export function recordCall(
  store: Store,
  fields: Omit<FakeCall, "reads" | "statuses" | "createdAt">,
  statuses: CallSnapshot[],
  createdAt: number,
): FakeCall {
  const call: FakeCall = { ...fields, createdAt, statuses, reads: 0 };
  store.calls.set(call.id, call);
  return call;
}

/** One GET: advance a step and return the snapshot (the last one repeats). */
export function readCall(call: FakeCall): CallSnapshot {
  call.reads++;
  return call.statuses[Math.min(call.reads, call.statuses.length) - 1]!;
}
