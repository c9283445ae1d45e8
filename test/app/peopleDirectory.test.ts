// The Slack people directory: users.info read into a Person (guests, deactivated, bots, profile
// phone), validated; user group membership cached for a minute on the injected clock, refreshed
// after, the last known membership kept when Slack fails, and one lookup shared by callers.
import type { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/lib/clock";
import { createLogger } from "../../src/logger";
import { GROUP_CACHE_MS, slackPeopleDirectory } from "../../src/slack/adapters/peopleDirectory";

const logger = createLogger({ level: "silent", secrets: [] });

function fakeClient(users: Record<string, unknown>, groups: { members: string[]; fail?: boolean }) {
  const calls = { info: 0, list: 0 };
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        calls.info++;
        if (!(user in users))
          throw Object.assign(new Error("user_not_found"), { data: { error: "user_not_found" } });
        return { ok: true, user: users[user] };
      },
    },
    usergroups: {
      users: {
        list: async () => {
          calls.list++;
          if (groups.fail) throw new Error("ratelimited");
          return { ok: true, users: [...groups.members] };
        },
      },
    },
  } as unknown as webApi.WebClient;
  return { client, calls };
}

describe("people directory (users.info, usergroups.users.list)", () => {
  it("reads guests, single-channel guests, deactivated accounts, bots and the profile phone", async () => {
    const { client } = fakeClient(
      {
        U1: { id: "U1", profile: { phone: " (212) 555-0147 " } },
        U2: { id: "U2", is_restricted: true, is_ultra_restricted: false, profile: {} },
        U3: { id: "U3", is_restricted: true, is_ultra_restricted: true },
        U4: { id: "U4", deleted: true },
        U5: { id: "U5", is_bot: true, profile: { phone: "" } },
        U6: { name: "no id: not a user as Slack returns one" },
      },
      { members: [] },
    );
    const people = slackPeopleDirectory(client, logger);
    expect(await people.person("U1")).toEqual({
      id: "U1",
      isGuest: false,
      isDeleted: false,
      isBot: false,
      phone: "(212) 555-0147",
    });
    expect(await people.person("U2")).toMatchObject({ isGuest: true, phone: null });
    expect(await people.person("U3")).toMatchObject({ isGuest: true });
    expect(await people.person("U4")).toMatchObject({ isDeleted: true, isGuest: false });
    expect(await people.person("U5")).toMatchObject({ isBot: true, phone: null });
    // A shape we do not understand, or an unknown user: Slack cannot say (never a guess).
    expect(await people.person("U6")).toBeNull();
    expect(await people.person("U404")).toBeNull();
  });

  it("caches a user group for a minute on the clock, refreshes after, and keeps the last membership when Slack fails", async () => {
    let now = Date.parse("2026-12-01T10:00:00Z");
    const clock: Clock = { now: () => new Date(now) };
    const groups = { members: ["U1"], fail: false };
    const { client, calls } = fakeClient({}, groups);
    const people = slackPeopleDirectory(client, logger, clock);

    const [a, b] = await Promise.all([people.groupMembers("S1"), people.groupMembers("S1")]);
    expect([...a]).toEqual(["U1"]);
    expect(b).toBe(a);
    expect(calls.list).toBe(1); // callers arriving together share one lookup

    groups.members = ["U1", "U2"];
    now += GROUP_CACHE_MS - 1;
    expect((await people.groupMembers("S1")).has("U2")).toBe(false);
    expect(calls.list).toBe(1);

    now += 1;
    expect((await people.groupMembers("S1")).has("U2")).toBe(true);
    expect(calls.list).toBe(2);

    groups.fail = true;
    now += GROUP_CACHE_MS;
    expect([...(await people.groupMembers("S1"))]).toEqual(["U1", "U2"]);
    expect(calls.list).toBe(3);
    // A group never read, when Slack fails: nobody is a member.
    expect((await people.groupMembers("S2")).size).toBe(0);
  });
});
