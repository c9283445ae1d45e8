// What the services need from the outside world besides providers and the database.
// The Slack layer implements these; services never import Slack code.

import type { ProviderName } from "../domain/providers";
import type { ApprovalStatus } from "../generated/prisma/enums";

export interface MessageRef {
  channel: string;
  ts: string;
}

/** Everything the approval message shows, as data. */
export interface ApprovalCard {
  id: string;
  kind: "reassign" | "unassign" | "restore";
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
  /** A direct message to a user (requester updates). */
  tellUser(userId: string, text: string): Promise<void>;
}

export interface ApproverDirectory {
  configured(): boolean;
  isApprover(userId: string): Promise<boolean>;
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
