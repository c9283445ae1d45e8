// What the services need from the outside world besides providers and the database (the Slack
// layer implements these; services never import Slack code), and the cards and view models they
// hand it: plain data, never database rows.

import type { ApprovalStatus } from "../domain/approvalRules";
import type { GatedKind } from "../domain/assignmentRules";
import type { AgentKind, ProviderName } from "../domain/providers";

export interface MessageRef {
  channel: string;
  ts: string;
}

/** Everything the approval message shows, as data. */
export interface ApprovalCard {
  id: string;
  kind: GatedKind;
  e164: string;
  provider: ProviderName;
  fromAgent: string | null;
  toAgent: string | null;
  target: { published: boolean; active: boolean; keyValid: boolean } | null;
  requesterId: string;
  expiresAt: Date;
  status: ApprovalStatus;
  decidedBy: string | null;
  outcome: string | null;
  overridden: boolean;
}

export interface ApprovalNotifier {
  /** Posts the request with Approve/Reject buttons; null when there is nowhere to post. */
  postApproval(card: ApprovalCard): Promise<MessageRef | null>;
  updateApproval(ref: MessageRef, card: ApprovalCard): Promise<void>;
  /** Tells the requester (a direct message) how their request ended: `card` has its final status. */
  tellRequester(card: ApprovalCard): Promise<void>;
}

export interface ApproverDirectory {
  configured(): boolean;
  isApprover(userId: string): Promise<boolean>;
}

/** A person as Slack describes them (users.info), for access decisions and test-call destinations. */
export interface Person {
  id: string;
  /** A single- or multi-channel guest (is_restricted / is_ultra_restricted). */
  isGuest: boolean;
  isDeleted: boolean;
  isBot: boolean;
  /** The phone on their Slack profile, as typed there (not parsed); null when empty. */
  phone: string | null;
}

export interface PeopleDirectory {
  /** Who this is; null when Slack cannot say (unknown user, Slack unreachable). */
  person(userId: string): Promise<Person | null>;
  /** The members of a user group, cached briefly and refreshed. */
  groupMembers(usergroupId: string): Promise<ReadonlySet<string>>;
}

/** One number in an alert message, with its findings as of now. */
export interface AlertEntry {
  numberId: string;
  e164: string;
  provider: ProviderName;
  nickname: string | null;
  isProduction: boolean;
  agentName: string | null;
  findings: { id: string; kind: string; resolved: boolean; snoozedUntil: Date | null; firstSeenAt: Date }[];
}

export interface AlertCard {
  /** Several numbers in one message (many findings in one run). */
  digest: boolean;
  /** Raised again: a long-open production finding, or a snooze that ended. */
  reraised: boolean;
  entries: AlertEntry[];
}

export interface AlertNotifier {
  post(card: AlertCard): Promise<MessageRef | null>;
  update(ref: MessageRef, card: AlertCard): Promise<void>;
}

/** A test call as its progress message shows it. */
export interface TestCallCard {
  id: string;
  e164: string;
  provider: ProviderName;
  agentName: string;
  destination: string;
  requesterId: string;
  status: "placed" | "ringing" | "in_progress" | "ended" | "failed";
  connected: boolean | null;
  providerCallId: string | null;
  durationSec: number | null;
  endReason: string | null;
  /** Why Switchboard stopped following it, if it did before the call ended. */
  note: string | null;
}

export interface TestCallNotifier {
  post(card: TestCallCard): Promise<MessageRef | null>;
  update(ref: MessageRef, card: TestCallCard): Promise<void>;
}

/** What an agent picker (and the assign modal) shows of an agent. */
export interface PickerAgent {
  id: string;
  name: string;
  provider: ProviderName;
  kind: AgentKind;
  published: boolean;
  active: boolean;
}

/** What a number picker (and the assign modal) shows of a number. */
export interface PickerNumber {
  id: string;
  e164: string;
  provider: ProviderName;
  nickname: string | null;
  isProduction: boolean;
  /** Its agent; absent when not loaded (free-number pickers). */
  agent?: { name: string } | null;
}

/** A number as lists and the checklist show it. */
export interface NumberSummary extends PickerNumber {
  isSpare: boolean;
  agent: { name: string } | null;
}

/**
 * Committed changes to numbers and agents, from every process that writes the database (its
 * NOTIFY). `follow` resolves once listening; `onLost` says the listening connection dropped, after
 * which nothing more is reported until `follow` is called again. It returns a way to stop.
 */
export interface InventoryChanges {
  follow(handlers: { onChange: () => void; onLost: (error: Error) => void }): Promise<() => Promise<void>>;
}
