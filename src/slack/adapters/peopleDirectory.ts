// Who someone is, from Slack: users.info (users:read; profile.phone included) and
// usergroups.users.list (usergroups:read, Tier 2: cached for a minute, refreshed after). Responses
// are validated: a shape we do not understand is "Slack cannot say", never a guess.
import type { webApi } from "@slack/bolt";
import { z } from "zod";
import { type Clock, systemClock } from "../../lib/clock";
import type { Logger } from "../../logger";
import type { PeopleDirectory, Person } from "../../services/ports";

export const GROUP_CACHE_MS = 60_000;

const userInfo = z.object({
  user: z.object({
    id: z.string(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    is_restricted: z.boolean().optional(),
    is_ultra_restricted: z.boolean().optional(),
    profile: z.object({ phone: z.string().optional() }).optional(),
  }),
});

const groupUsers = z.object({ users: z.array(z.string()) });

export function slackPeopleDirectory(
  client: webApi.WebClient,
  logger: Logger,
  clock: Clock = systemClock,
): PeopleDirectory {
  const groups = new Map<string, { members: Set<string>; at: number }>();
  // One lookup per group at a time: clicks arriving together share it.
  const inflight = new Map<string, Promise<Set<string>>>();
  const refresh = async (group: string): Promise<Set<string>> => {
    try {
      const parsed = groupUsers.parse(await client.usergroups.users.list({ usergroup: group }));
      const members = new Set(parsed.users);
      groups.set(group, { members, at: clock.now().getTime() });
      return members;
    } catch (error) {
      // Keep the last known membership rather than locking every operator out.
      logger.warn({ err: error, usergroupId: group }, "could not refresh user group membership");
      return groups.get(group)?.members ?? new Set();
    }
  };
  return {
    async person(userId): Promise<Person | null> {
      try {
        const { user } = userInfo.parse(await client.users.info({ user: userId }));
        return {
          id: user.id,
          isGuest: user.is_restricted === true || user.is_ultra_restricted === true,
          isDeleted: user.deleted === true,
          isBot: user.is_bot === true,
          phone: user.profile?.phone?.trim() || null,
        };
      } catch (error) {
        logger.warn({ err: error, userId }, "could not look up a Slack user");
        return null;
      }
    },
    groupMembers(group) {
      const cached = groups.get(group);
      if (cached && clock.now().getTime() - cached.at < GROUP_CACHE_MS)
        return Promise.resolve(cached.members);
      let pending = inflight.get(group);
      if (!pending) {
        pending = refresh(group).finally(() => inflight.delete(group));
        inflight.set(group, pending);
      }
      return pending;
    },
  };
}
