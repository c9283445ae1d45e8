// Who may approve: APPROVER_USER_IDS, or members of APPROVER_USERGROUP_ID. Group membership is
// cached (usergroups.users.list is Tier 2) and refreshed after five minutes.
import type { webApi } from "@slack/bolt";
import type { Logger } from "../../logger";
import type { ApproverDirectory } from "../../services/ports";

const TTL_MS = 5 * 60_000;

export function slackApproverDirectory(
  client: webApi.WebClient,
  userIds: string[],
  usergroupId: string | undefined,
  logger: Logger,
): ApproverDirectory {
  let cache: { members: Set<string>; at: number } | undefined;
  // One lookup at a time: clicks arriving together share it instead of each calling Slack.
  let inflight: Promise<Set<string>> | undefined;
  const refresh = async (group: string): Promise<Set<string>> => {
    try {
      const result = await client.usergroups.users.list({ usergroup: group });
      cache = { members: new Set(result.users ?? []), at: Date.now() };
      return cache.members;
    } catch (error) {
      // Keep using the last known membership rather than locking every approver out.
      logger.warn({ err: error, usergroupId: group }, "could not refresh approver group membership");
      return cache?.members ?? new Set();
    }
  };
  const members = (): Promise<Set<string>> => {
    if (!usergroupId) return Promise.resolve(new Set());
    if (cache && Date.now() - cache.at < TTL_MS) return Promise.resolve(cache.members);
    inflight ??= refresh(usergroupId).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
  return {
    configured: () => userIds.length > 0 || usergroupId !== undefined,
    isApprover: async (userId) => userIds.includes(userId) || (await members()).has(userId),
  };
}
