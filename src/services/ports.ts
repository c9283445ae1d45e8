// What the services need from the outside world besides providers and the database.
// The Slack layer implements these; services never import Slack code.
import type { ApprovalStatus } from "../generated/prisma/enums";
import type { ProviderName } from "../providers/types";

export interface MessageRef {
  channel: string;
  ts: string;
}

/** Everything the approval message shows, as data. */
export interface ApprovalCard {
  id: string;
  kind: "reassign" | "unassign";
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
