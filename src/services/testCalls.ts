// Test calls (R8, "make a test call to confirm the agent is functioning"): an outbound call from
// a number through the agent bound to it, refused up front when it cannot work (the rules are
// domain/testCallRules.ts and domain/readiness.ts; this service gathers the facts and says why), then
// followed at the provider (bounded polling with backoff) while one message is updated in place.
import type { Db } from "../db/database";
import { agentKindLabel, unpublishedWords } from "../domain/agentKinds";
import { formatPhoneNumber, parsePhoneNumber } from "../domain/phoneNumber";
import { mightHaveActed } from "../domain/providerDoubt";
import { apiKeyVariable, PROVIDER_LABEL, type ProviderName } from "../domain/providers";
import { readiness } from "../domain/readiness";
import {
  type DestinationPattern,
  decideTestCall,
  decideTestCallSource,
  destinationAllowed,
  type TestCallRefusal,
} from "../domain/testCallRules";
import type { Agent, PhoneNumber, TestCall } from "../generated/prisma/client";
import { after, type Clock, systemClock } from "../lib/clock";
import type { Logger } from "../logger";
import { failureFacts, isProviderError } from "../providers/errors";
import type { ProviderRegistry } from "../providers/registry";
import type { ProviderCall, VoiceProvider } from "../providers/types";
import type { AccessGate } from "./access";
import { type AuditSource, recordAudit } from "./audit";
import { DomainError } from "./errors";
import type { InventoryService, NumberWithAgent } from "./inventory";
import type { TestCallCard, TestCallNotifier } from "./ports";

export interface PollPolicy {
  /** Wait before each poll; the last value repeats. */
  intervalsMs: number[];
  /** Give up following after this many polls. */
  maxPolls: number;
}

export const DEFAULT_POLL: PollPolicy = { intervalsMs: [2000, 3000, 5000, 8000, 10_000], maxPolls: 90 };
const RUNNING = ["placed", "ringing", "in_progress"] as const;
/**
 * A call still "running" in the database this long after it was placed is followed by nobody (the
 * process that placed it died): it must not block its requester for ever.
 */
const STALE_AFTER_MIN_MS = 3_600_000;

/** What the destination modal shows of the number a test call would come from. */
export interface TestCallSource {
  id: string;
  e164: string;
  provider: ProviderName;
  agentName: string;
  /** The requester's phone as on their Slack profile, to prefill the destination. */
  profilePhone: string | null;
}

export interface PlaceRequest {
  numberId: string;
  destination: string;
  requesterId: string;
  source: AuditSource;
}

export class TestCallService {
  private readonly following = new Set<Promise<void>>();
  /** Wakes the followers' pending waits on stop(), so they finish before the database closes. */
  private readonly sleepers = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly inventory: InventoryService,
    private readonly providers: ProviderRegistry,
    private readonly notifier: TestCallNotifier,
    private readonly config: {
      testCallsPerHour: number;
      defaultRegion: string;
      testCallDestinations: DestinationPattern[];
    },
    /** Who may place test calls; their profile phone is where a call may ring by default. */
    private readonly access: AccessGate,
    private readonly logger: Logger,
    private readonly poll: PollPolicy = DEFAULT_POLL,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Fast checks that need no provider: used before acking a modal, so the error shows under the field. */
  parseDestination(input: string): string {
    const parsed = parsePhoneNumber(input, this.config.defaultRegion);
    if (!parsed.ok) throw new DomainError("invalid_input", `Destination: ${parsed.reason}`, "destination");
    return parsed.e164;
  }

  /**
   * Whether this person may place test calls and a call from this number could reach an agent at
   * all, asked before the destination modal opens: what the modal shows of the number (and the
   * requester's profile phone), or a refusal with the fix named. An access refusal is audited; the
   * others are not (nothing was asked of the provider yet).
   */
  async source(
    numberId: string,
    requesterId: string,
    source: AuditSource = "button",
  ): Promise<TestCallSource> {
    const number = await this.inventory.numberById(numberId);
    const person = await this.access.require(requesterId, "test_call", source, {
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
    });
    const decision = decideTestCallSource({
      hasAgent: number.agent !== null,
      providerConfigured: this.providers.has(number.provider),
    });
    if (!decision.allowed) {
      throw new DomainError("invalid_input", this.refusalText(decision.code, number), decision.field);
    }
    return {
      id: number.id,
      e164: number.e164,
      provider: number.provider,
      agentName: number.agent!.name,
      profilePhone: person.phone,
    };
  }

  /** A profile phone as typed in Slack, read as E.164; null when there is none or it is not a number. */
  private ownPhone(phone: string | null): string | null {
    if (!phone) return null;
    const parsed = parsePhoneNumber(phone, this.config.defaultRegion);
    return parsed.ok ? parsed.e164 : null;
  }

  /** Refuses with the fix named, or places the call and starts following it. Nothing is dialled on refusal. */
  async place(request: PlaceRequest): Promise<TestCallCard> {
    const number = await this.inventory.numberById(request.numberId);
    const person = await this.access.require(request.requesterId, "test_call", request.source, {
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
    });
    const destination = this.parseDestination(request.destination);
    const ownPhone = this.ownPhone(person.phone);
    const refuse = async (message: string, field?: "number" | "destination") => {
      await this.audit(request, number, destination, "refused", message);
      throw new DomainError("invalid_input", message, field);
    };
    const label = PROVIDER_LABEL[number.provider];
    const provider = this.providers.get(number.provider);
    await this.expireStale(request.requesterId);
    const hourAgo = after(this.clock, -3_600_000);
    const [own, running, placedLastHour, numberPlacedLastHour] = await Promise.all([
      this.db.phoneNumber.findFirst({ where: { e164: destination, goneAt: null }, include: { agent: true } }),
      this.db.testCall.findFirst({
        where: { requesterId: request.requesterId, status: { in: [...RUNNING] } },
        include: { number: true },
      }),
      this.db.testCall.count({
        where: { requesterId: request.requesterId, createdAt: { gte: hourAgo } },
      }),
      this.db.testCall.count({ where: { numberId: number.id, createdAt: { gte: hourAgo } } }),
    ]);
    const decision = decideTestCall({
      hasAgent: number.agent !== null,
      providerConfigured: provider !== undefined,
      destinationIsOwnNumber: own !== null,
      destinationAllowed: destinationAllowed(destination, {
        profilePhone: ownPhone,
        patterns: this.config.testCallDestinations,
      }),
      running: running !== null,
      placedLastHour,
      numberPlacedLastHour,
      hourlyLimit: this.config.testCallsPerHour,
    });
    if (!decision.allowed) {
      return refuse(
        this.refusalText(decision.code, number, {
          destination,
          own,
          running,
          placedLastHour,
          numberPlacedLastHour,
          ownPhone,
        }),
        decision.field,
      );
    }
    await this.checkReadiness(provider!, number, refuse);

    let call: TestCall;
    try {
      call = await this.db.testCall.create({
        data: {
          numberId: number.id,
          agentId: number.agent!.id,
          requesterId: request.requesterId,
          destination,
        },
      });
    } catch {
      return refuse("You already have a test call running. Wait for it to end, then try again.");
    }

    try {
      const placed = await provider!.placeCall({
        from: { providerNumberId: number.providerNumberId, e164: number.e164 },
        providerAgentId: number.agent!.providerAgentId,
        kind: number.agent!.kind,
        to: destination,
      });
      call = await this.db.testCall.update({
        where: { id: call.id },
        data: { providerCallId: placed.callId },
      });
    } catch (error) {
      const reason = isProviderError(error) ? (error.providerMessage ?? error.message) : String(error);
      // No (readable) answer: the provider may have created the call anyway.
      const unanswered = mightHaveActed(failureFacts(error)).mightHaveActed;
      const said = unanswered
        ? `${label} did not confirm the test call (${reason}); it may still ring: check ${label}'s call log before trying again.`
        : `${label} refused the test call: ${reason}`;
      await this.db.testCall.update({
        where: { id: call.id },
        data: { status: "failed", endReason: reason, endedAt: this.clock.now() },
      });
      await this.audit(request, number, destination, "failed", said);
      throw new DomainError("provider_failed", said);
    }
    await this.audit(request, number, destination, "ok", `placed ${call.providerCallId}`);

    const card = this.card(call, number);
    const ref = await this.notifier.post(card).catch((error: unknown) => {
      this.logger.warn({ err: error }, "could not post the test call message");
      return null;
    });
    if (ref)
      call = await this.db.testCall.update({
        where: { id: call.id },
        data: { channelId: ref.channel, messageTs: ref.ts },
      });
    this.track(this.follow(call, number, provider!));
    return card;
  }

  /** Waits for the calls being followed (tests); shutdown stops following instead. */
  async settled(): Promise<void> {
    while (this.following.size) await Promise.allSettled([...this.following]);
  }

  stop(): void {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
  }

  /** The words of a refusal, with the fix named. */
  private refusalText(
    code: TestCallRefusal,
    number: NumberWithAgent,
    facts: {
      destination?: string;
      own?: (PhoneNumber & { agent: Agent | null }) | null;
      running?: (TestCall & { number: PhoneNumber }) | null;
      placedLastHour?: number;
      numberPlacedLastHour?: number;
      ownPhone?: string | null;
    } = {},
  ): string {
    const label = PROVIDER_LABEL[number.provider];
    switch (code) {
      case "no_agent":
        return `${formatPhoneNumber(number.e164)} has no agent, so a call from it reaches nobody: assign it first.`;
      case "provider_not_configured":
        return `${label} is not configured: set ${apiKeyVariable(number.provider)} and restart.`;
      case "own_number": {
        const own = facts.own!;
        const answeredBy = own.agent
          ? `is answered by ${own.agent.name}`
          : "answers no calls (it has no agent)";
        return `${formatPhoneNumber(facts.destination!)} is one of your own ${PROVIDER_LABEL[own.provider]} numbers: it ${answeredBy}, so the test would ${own.agent ? "have two agents talking to each other" : "ring nowhere"} instead of telling you how ${number.agent?.name} sounds. Use a phone you can answer.`;
      }
      case "already_running": {
        const running = facts.running!;
        return `You already have a test call running (from ${formatPhoneNumber(running.number.e164)} to ${formatPhoneNumber(running.destination)}). Wait for it to end, then try again.`;
      }
      case "hourly_limit":
        return `You have placed ${facts.placedLastHour} test calls in the last hour; the limit is ${this.config.testCallsPerHour} (TEST_CALLS_PER_HOUR). Try again later.`;
      case "number_hourly_limit":
        return `${formatPhoneNumber(number.e164)} has placed ${facts.numberPlacedLastHour} test calls in the last hour, counting everyone's; the limit is ${this.config.testCallsPerHour} per number (TEST_CALLS_PER_HOUR). Try again later.`;
      case "destination_not_allowed": {
        const own = facts.ownPhone
          ? `your own phone (${formatPhoneNumber(facts.ownPhone)}, from your Slack profile)`
          : "your own phone, and your Slack profile has none: add it there";
        const listed = this.config.testCallDestinations.length
          ? " or a number listed in TEST_CALL_DESTINATIONS"
          : "";
        return `A test call may only ring ${own}${listed}. ${formatPhoneNumber(facts.destination!)} is not one of them, so nothing was dialled. To test other numbers, ask whoever runs Switchboard to add them to TEST_CALL_DESTINATIONS.`;
      }
    }
  }

  /** Marks the requester's calls that nobody can still be following as not followed to the end. */
  private async expireStale(requesterId: string): Promise<void> {
    const longest = Array.from(
      { length: this.poll.maxPolls },
      (_, i) => this.poll.intervalsMs[Math.min(i, this.poll.intervalsMs.length - 1)] ?? 0,
    ).reduce((a, b) => a + b, 0);
    const before = after(this.clock, -Math.max(STALE_AFTER_MIN_MS, 2 * longest));
    await this.db.testCall.updateMany({
      where: { requesterId, status: { in: [...RUNNING] }, createdAt: { lt: before } },
      data: {
        status: "failed",
        endReason: "Switchboard stopped following this call before it ended; check it at the provider.",
        endedAt: this.clock.now(),
      },
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleepers.add(wake);
    });
  }

  private async checkReadiness(
    provider: VoiceProvider,
    number: NumberWithAgent,
    refuse: (message: string) => Promise<never>,
  ): Promise<void> {
    const label = PROVIDER_LABEL[number.provider];
    try {
      await provider.checkKey();
      const bound = number.agent!;
      const agent = await provider.getAgent(bound.providerAgentId, bound.kind);
      const what = agentKindLabel(number.provider, bound.kind);
      const { ready, reasons } = readiness({ gone: false, published: agent.published, active: agent.active });
      const unpinned = number.provider === "bland" && bound.kind === "agent";
      if (unpinned && reasons.length === 1 && reasons[0] === "agent_unpublished") {
        // Bland refuses such a call (AGENT_ENV_UNPINNED); say why before dialling.
        await refuse(
          `${agent.name} (${what}) ${unpublishedWords(number.provider, bound.kind)}, so Bland refuses calls to it (AGENT_ENV_UNPINNED): promote a version to production in Bland, then test it.`,
        );
      }
      if (!ready) {
        const problems = [
          reasons.includes("agent_unpublished") && unpublishedWords(number.provider, bound.kind),
          reasons.includes("agent_inactive") && "is not active",
        ]
          .filter(Boolean)
          .join(" and ");
        await refuse(
          `${agent.name} (${what}) ${problems} at ${label}: publish and activate it first, then test it.`,
        );
      }
    } catch (error) {
      if (!isProviderError(error)) throw error;
      if (error.kind === "auth" || error.kind === "billing" || error.kind === "account_inactive")
        await refuse(
          error.kind === "auth"
            ? `The ${label} API key is invalid or lacks permission: fix ${number.provider.toUpperCase()}_API_KEY first.${error.fix ? ` (${error.fix})` : ""}`
            : error.message,
        );
      if (error.kind === "not_found")
        await refuse(`${number.agent!.name} no longer exists at ${label}: assign another agent first.`);
      throw new DomainError("provider_failed", error.message);
    }
  }

  private async follow(call: TestCall, number: NumberWithAgent, provider: VoiceProvider): Promise<void> {
    const started = Date.now();
    // What the message shows now: a snapshot that changes neither is not worth an update.
    let last: Pick<ProviderCall, "status" | "connected"> = {
      status: call.status === "placed" ? "queued" : (call.status as ProviderCall["status"]),
      connected: call.connected,
    };
    for (let poll = 0; poll < this.poll.maxPolls && !this.stopped; poll++) {
      const wait = this.poll.intervalsMs[Math.min(poll, this.poll.intervalsMs.length - 1)] ?? 5000;
      await this.sleep(wait);
      if (this.stopped) break;
      let snapshot: ProviderCall;
      try {
        snapshot = await provider.getCall(call.providerCallId!);
      } catch (error) {
        this.logger.warn({ err: error, callId: call.providerCallId }, "could not read test call progress");
        if (isProviderError(error) && (error.kind === "auth" || error.kind === "not_found")) break;
        continue;
      }
      if (snapshot.status === last.status && snapshot.connected === last.connected) continue;
      last = snapshot;
      const ended = snapshot.status === "ended";
      call = await this.db.testCall.update({
        where: { id: call.id },
        data: {
          status: ended ? "ended" : snapshot.status === "queued" ? "placed" : snapshot.status,
          connected: snapshot.connected,
          durationSec: snapshot.durationSec === null ? null : Math.round(snapshot.durationSec),
          endReason: snapshot.endReason,
          ...(ended ? { endedAt: this.clock.now() } : {}),
        },
      });
      await this.show(call, number);
      if (ended) {
        const outcome = snapshot.connected === false ? "did not connect" : "ended";
        await this.auditOutcome(
          call,
          number,
          `${outcome}: ${snapshot.endReason ?? "no reason given"}, ${snapshot.durationSec ?? 0} s`,
        );
        return;
      }
    }
    const elapsed = (Date.now() - started) / 1000;
    const seconds = elapsed < 10 ? elapsed.toFixed(1) : String(Math.round(elapsed));
    const note = this.stopped
      ? "Switchboard restarted before the call ended; check it at the provider."
      : `Switchboard stopped following this call after ${seconds} s; check call ${call.providerCallId} in the ${PROVIDER_LABEL[number.provider]} dashboard.`;
    call = await this.db.testCall.update({
      where: { id: call.id },
      data: { status: "failed", endReason: note, endedAt: this.clock.now() },
    });
    await this.show(call, number, note);
    await this.auditOutcome(call, number, note);
  }

  private async show(call: TestCall, number: NumberWithAgent, note: string | null = null): Promise<void> {
    if (!call.channelId || !call.messageTs) return;
    await this.notifier
      .update({ channel: call.channelId, ts: call.messageTs }, this.card(call, number, note))
      .catch((error: unknown) => this.logger.warn({ err: error }, "could not update the test call message"));
  }

  private card(call: TestCall, number: NumberWithAgent, note: string | null = null): TestCallCard {
    return {
      id: call.id,
      e164: number.e164,
      provider: number.provider,
      agentName: number.agent?.name ?? "",
      destination: call.destination,
      requesterId: call.requesterId,
      status: call.status,
      connected: call.connected,
      providerCallId: call.providerCallId,
      durationSec: call.durationSec,
      endReason: call.endReason,
      note,
    };
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) =>
      this.logger.error({ err: error }, "following a test call failed"),
    );
    this.following.add(tracked);
    void tracked.finally(() => this.following.delete(tracked));
  }

  private audit(
    request: PlaceRequest,
    number: NumberWithAgent,
    destination: string,
    outcome: "ok" | "refused" | "failed",
    detail: string,
  ) {
    return recordAudit(this.db, {
      actor: request.requesterId,
      action: "test_call",
      source: request.source,
      outcome,
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
      after: { destination, agent: number.agent?.name ?? null },
      detail,
    });
  }

  private auditOutcome(call: TestCall, number: NumberWithAgent, detail: string) {
    return recordAudit(this.db, {
      actor: call.requesterId,
      action: "test_call_outcome",
      source: "system",
      outcome: call.connected === false || call.status === "failed" ? "failed" : "ok",
      numberId: number.id,
      e164: number.e164,
      provider: number.provider,
      after: {
        destination: call.destination,
        agent: number.agent?.name ?? null,
        callId: call.providerCallId,
        status: call.status,
      },
      detail,
    });
  }
}
