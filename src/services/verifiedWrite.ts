// A verified write at the provider (R1, "check that the assignment saved"): bind or unbind, then
// read the number back and require that it routes to exactly the target (inbound, and outbound
// where the provider keeps it). Every failure is audited and thrown as a DomainError that says what
// the number does now; `doubt` tells the caller whether the provider may hold the change anyway
// (domain/providerDoubt.ts), so that the intent is kept for sync to settle.
import { mightHaveActed } from "../domain/providerDoubt";
import { PROVIDER_LABEL, type ProviderName } from "../domain/providers";
import { observed, routingMismatch, storedOutbound } from "../domain/routing";
import { failureFacts, isProviderError } from "../providers/errors";
import type { AgentRef, NumberRef, VoiceProvider } from "../providers/types";
import { DomainError } from "./errors";

export interface VerifiedWrite {
  provider: VoiceProvider;
  number: NumberRef & { provider: ProviderName };
  /** null = unbind. */
  target: AgentRef | null;
  /** Records a failed attempt (audit) with its detail. */
  fail: (detail: string) => Promise<void>;
  /** Records that the number now answers no calls (a two-call move lost the binding). */
  markUnrouted: () => Promise<void>;
}

/** Whether the provider may hold the change although it was not confirmed. */
export interface Doubt {
  inDoubt: boolean;
}

/** What the provider routes the number to after the write (outbound: [] where it keeps none). */
export interface ObservedWrite {
  inbound: string[];
  outbound: string[];
}

/** Writes, then reads back; resolves with what the provider now routes to, exactly the target. */
export async function writeVerified(write: VerifiedWrite, doubt: Doubt): Promise<ObservedWrite> {
  await writeAtProvider(write, doubt);
  return readBack(write, doubt);
}

async function writeAtProvider(
  { provider, number, target, fail, markUnrouted }: VerifiedWrite,
  doubt: Doubt,
): Promise<void> {
  const ref = { providerNumberId: number.providerNumberId, e164: number.e164 };
  const label = PROVIDER_LABEL[number.provider];
  try {
    if (target) await provider.bind(ref, { providerAgentId: target.providerAgentId, kind: target.kind });
    else await provider.unbind(ref);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (isProviderError(error) && (error.restored || error.bindingLost)) {
      // A two-call move (Bland persona) failed half way; the provider said what the number does now.
      doubt.inDoubt = false;
      if (error.bindingLost) {
        // Our record keeps the binding we meant (intent); what the provider does now is on record
        // as observed, so status and the check show the number as answering nothing.
        await markUnrouted().catch(() => undefined);
      }
      await fail(
        error.bindingLost
          ? `provider write failed half way, and the previous binding could not be put back: ${number.e164} now answers no calls. ${detail}`
          : `provider write failed half way; the previous binding was put back. ${detail}`,
      );
      throw new DomainError(
        "provider_failed",
        error.bindingLost
          ? `:rotating_light: ${detail} Assign it again (\`/assign-number ${number.e164}\`) or fix it in the ${label} dashboard; \`/numbers status ${number.e164}\` shows the live state.`
          : `${label} did not complete the change, so ${number.e164} still answers as before: ${detail} Try again in a few minutes.`,
      );
    }
    // A timeout or a dropped connection may hide a write that landed; a refusal never does.
    doubt.inDoubt = mightHaveActed(failureFacts(error)).mightHaveActed;
    await fail(`provider write failed${doubt.inDoubt ? " (in doubt)" : ""}: ${detail}`);
    throw new DomainError(
      "provider_failed",
      doubt.inDoubt
        ? `${label} did not confirm the change (${detail}). It may or may not have been applied; Switchboard's record is unchanged until the next sync compares it with ${label}. \`/numbers status ${number.e164}\` shows the live state.`
        : `${label} refused or failed the change, so nothing changed: ${detail} Try again in a few minutes; \`/numbers status\` shows the number's live state.`,
    );
  }
}

/** R1 "check that the assignment saved": the provider must now route to exactly the target. */
async function readBack(
  { provider, number, target, fail }: VerifiedWrite,
  doubt: Doubt,
): Promise<ObservedWrite> {
  const ref = { providerNumberId: number.providerNumberId, e164: number.e164 };
  const label = PROVIDER_LABEL[number.provider];
  let live: { inbound: string[]; outbound: string[] };
  try {
    const read = await provider.getNumber(ref);
    live = {
      inbound: read.inboundAgentIds,
      outbound: storedOutbound(number.provider, read.outboundAgentIds),
    };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    await fail(`read-back failed: ${detail}`);
    throw new DomainError(
      "verification_failed",
      `${label} accepted the change for ${number.e164}, but reading it back failed (${detail}). Switchboard's record is unchanged; run \`/numbers status ${number.e164}\` to see what the number routes to now — the next sync records it.`,
    );
  }
  const expected = target?.providerAgentId ?? null;
  const mismatch = routingMismatch(
    { inbound: expected, outbound: expected },
    observed(number.provider, live.inbound, live.outbound),
  );
  if (mismatch) {
    doubt.inDoubt = false; // the provider told us what it routes to: no guessing left for sync
    const ids = mismatch === "inbound" ? live.inbound : live.outbound;
    const what = ids.length ? ids.join(", ") : "no agent";
    await fail(`read-back shows ${mismatch === "outbound" ? "outbound " : ""}${what}`);
    throw new DomainError(
      "verification_failed",
      mismatch === "inbound"
        ? `${label} accepted the change for ${number.e164} but now reports it routes to ${what}. Switchboard's record is unchanged; check the number in the ${label} dashboard or retry.`
        : `${label} accepted the change for ${number.e164} but reports its outbound caller ID belongs to ${what}. Switchboard's record is unchanged; check the number in the ${label} dashboard or retry.`,
    );
  }
  return live;
}
