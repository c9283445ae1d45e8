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
  const members = async (): Promise<Set<string>> => {
    if (!usergroupId) return new Set();
    if (cache && Date.now() - cache.at < TTL_MS) return cache.members;
    try {
      const result = await client.usergroups.users.list({ usergroup: usergroupId });
      cache = { members: new Set(result.users ?? []), at: Date.now() };
    } catch (error) {
      // Keep using the last known membership rather than locking every approver out.
      logger.warn({ err: error, usergroupId }, "could not refresh approver group membership");
      if (!cache) return new Set();
    }
    return cache.members;
  };
  return {
    configured: () => userIds.length > 0 || usergroupId !== undefined,
    isApprover: async (userId) => userIds.includes(userId) || (await members()).has(userId),
  };
}
