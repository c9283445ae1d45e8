// Who may do what (issue 15), driven as Slack would: every change path against every role, on one
// app. Operators are named in OPERATOR_USER_IDS or are members of OPERATOR_USERGROUP_ID (served
// by the fake Slack's usergroups.users.list); approvers count as operators; guests (is_restricted /
// is_ultra_restricted from users.info) and deactivated accounts are refused every change whatever
// the configuration names them. A refusal says why and who can, changes nothing, calls no
// provider, and is audited; an allowed person gets past the gate and the path does its work.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ChangeAction } from "../../src/domain/accessRules";
import { ACTION_ALERT_SNOOZE, ACTION_ALERT_SPARE } from "../../src/slack/views/alertMessage";
import { ACTION_APPROVE } from "../../src/slack/views/approvalMessage";
import { ACTION_CONFIRM_CHANGE } from "../../src/slack/views/changeMessages";
import { ACTION_DRIFT_KEEP, ACTION_DRIFT_RESTORE } from "../../src/slack/views/driftViews";
import { ACTION_STATUS_UNSPARE } from "../../src/slack/views/statusViews";
import { ACTION_TEST_CALL } from "../../src/slack/views/testCallViews";
import type { RecordedCall } from "../harness/fakeSlack";
import { viewWith } from "../harness/slackDriver";
import { APPROVER, buttonValue, numberRow, OTHER_APPROVER, startWorld, textOf, type World } from "./support";

const OPERATOR = "U0OPERATOR";
const GROUP_OPERATOR = "U0GROUPOP";
const MEMBER = "U0MEMBER";
/** A multi-channel guest named as operator and approver: still refused. */
const GUEST = "U0GUESTOP";
/** A single-channel guest in the operators' user group: still refused. */
const SINGLE_GUEST = "U0GUEST1";
/** A deactivated account named as operator. */
const DEACTIVATED = "U0GONE";
const OPS_GROUP = "S0OPS";

type Role =
  | "guest"
  | "single-channel guest"
  | "deactivated"
  | "member"
  | "operator"
  | "group operator"
  | "approver";
const USER_OF: Record<Role, string> = {
  guest: GUEST,
  "single-channel guest": SINGLE_GUEST,
  deactivated: DEACTIVATED,
  member: MEMBER,
  operator: OPERATOR,
  "group operator": GROUP_OPERATOR,
  approver: APPROVER,
};
/** Refused roles first: they must find the state exactly as the allowed roles' work then uses it. */
const ROLES: Role[] = [
  "guest",
  "single-channel guest",
  "deactivated",
  "member",
  "operator",
  "group operator",
  "approver",
];
const WHY: Partial<Record<Role, string>> = {
  guest: "Guests can look up numbers",
  "single-channel guest": "Guests can look up numbers",
  deactivated: "deactivated",
  member: "Only Switchboard operators can",
};

const PHONE: Record<string, string> = {
  [OPERATOR]: "(212) 555-0101",
  [GROUP_OPERATOR]: "(212) 555-0102",
  [APPROVER]: "+1 212 555 0103",
  [MEMBER]: "(212) 555-0104",
  [GUEST]: "(212) 555-0105",
  [SINGLE_GUEST]: "(212) 555-0106",
};

const FREE = "+14155550101";
const ASSIGNED = "+14155550102";
const ALERTED = "+14155550103";
const PRODUCTION = "+14155550104";
const VAPI = "+16285550101";
const BLAND = "+16505550101";

let world: World;

beforeAll(async () => {
  world = await startWorld({
    env: {
      OPERATOR_USER_IDS: `${OPERATOR},${GUEST},${DEACTIVATED}`,
      OPERATOR_USERGROUP_ID: OPS_GROUP,
      APPROVER_USER_IDS: `${APPROVER},${OTHER_APPROVER},${GUEST}`,
      // The default: a test call rings only the requester's own profile phone.
      TEST_CALL_DESTINATIONS: undefined,
      TEST_CALLS_PER_HOUR: "3",
    },
  });
  const { app, retell } = world;
  app.slack.setUsergroup(OPS_GROUP, [GROUP_OPERATOR, SINGLE_GUEST]);
  for (const [id, phone] of Object.entries(PHONE)) app.slack.setUser(id, { phone });
  app.slack.setUser(GUEST, { is_restricted: true });
  app.slack.setUser(SINGLE_GUEST, { is_restricted: true, is_ultra_restricted: true });
  app.slack.setUser(DEACTIVATED, { deleted: true });
  retell.addNumber({ e164: PRODUCTION, agentIds: ["agent_support_1"] });
  await app.switchboard.services.sync.syncAll();
  await app.db.phoneNumber.updateMany({ where: { e164: PRODUCTION }, data: { isProduction: true } });
}, 120_000);

afterAll(async () => {
  expect(world.app.slack.rejections()).toEqual([]);
  await world.stop();
});

// ── what the user saw, what was audited ──────────────────────────────────────────────────────────

/** Messages the user was sent since `from` (replies through response_url, ephemeral, DM). */
function toldSince(from: number, user: string): string[] {
  return world.app.slack.calls
    .slice(from)
    .filter(
      (c: RecordedCall) =>
        c.method === "response_url" ||
        (c.method === "chat.postEphemeral" && (c.args as { user?: string }).user === user) ||
        (c.method === "chat.postMessage" && (c.args as { channel?: string }).channel === user),
    )
    .map(textOf);
}

const refusals = (user: string, action: ChangeAction) =>
  world.app.db.auditEvent
    .findMany({
      where: { actor: user, action: "access_refused", outcome: "refused" },
    })
    .then((rows) => rows.filter((r) => (r.after as { action?: string } | null)?.action === action));

const auditCount = (user: string, where: { e164?: string; action?: string } = {}) =>
  world.app.db.auditEvent.count({
    where: {
      actor: user,
      action: where.action ?? { not: "access_refused" },
      ...(where.e164 ? { e164: where.e164 } : {}),
    },
  });

const numberId = async (e164: string) => (await numberRow(world.app, e164)).id;
const agentIdOf = async (providerAgentId: string) =>
  (await world.app.db.agent.findFirstOrThrow({ where: { providerAgentId } })).id;
const providerCalls = () =>
  world.retell.requestsTo("POST", "/v2/create-phone-call").length +
  world.vapi.requestsTo("POST", "/call").length +
  world.bland.requestsTo("POST", "/v1/calls").length;

// ── the change paths ─────────────────────────────────────────────────────────────────────────────

interface Snapshot {
  [key: string]: unknown;
}

interface ChangePath {
  name: string;
  action: ChangeAction;
  /** Sends the request as Slack would. */
  run(user: string): Promise<unknown>;
  /** What a refusal must leave as it was. */
  state(): Promise<Snapshot>;
  /** Waits for the path to have done its work for an allowed user (`before`: state before the run). */
  proceeded(user: string, before: Snapshot, from: number): Promise<void>;
  /** Puts the world back where the path starts (before each allowed run). */
  prepare?(): Promise<void>;
}

const command = (cmd: string, text: string) => (user: string) => world.app.send.command(cmd, text, { user });
const button = (actionId: string, value: () => Promise<string>) => async (user: string) =>
  world.app.send.clickButton(actionId, await value(), { user });
const viewsOpened = () => world.app.slack.callsTo("views.open").length;
/** A new non-refusal audit row by this user (on this number). */
const audited = (e164?: string, action?: string) => async (user: string, before: Snapshot) => {
  const key = `audit:${e164 ?? ""}:${action ?? ""}:${user}`;
  const was = (before[key] as number | undefined) ?? 0;
  await vi.waitFor(async () => expect(await auditCount(user, { e164, action })).toBeGreaterThan(was), {
    timeout: 15_000,
  });
};
const withAudit =
  (e164?: string, action?: string, more: () => Promise<Snapshot> = async () => ({})) =>
  async (): Promise<Snapshot> => {
    const snapshot: Snapshot = { ...(await more()) };
    for (const user of Object.values(USER_OF))
      snapshot[`audit:${e164 ?? ""}:${action ?? ""}:${user}`] = await auditCount(user, { e164, action });
    return snapshot;
  };
const bindings = async () => ({
  numbers: (await world.app.db.phoneNumber.findMany({ orderBy: { e164: "asc" } })).map((n) => ({
    e164: n.e164,
    agentId: n.agentId,
    isSpare: n.isSpare,
    isProduction: n.isProduction,
  })),
  writes: world.retell.writes().length + world.vapi.writes().length + world.bland.writes().length,
  calls: providerCalls(),
  opened: viewsOpened(),
  approvals: await world.app.db.approvalRequest.findMany({ select: { id: true, status: true } }),
  checkRuns: await world.app.db.checkRun.count(),
});

const PATHS: ChangePath[] = [
  {
    name: "/assign-number <number> <agent>",
    action: "assign",
    run: command("/assign-number", `${FREE} Sales`),
    state: withAudit(FREE, undefined, bindings),
    proceeded: audited(FREE),
  },
  {
    name: "/assign-number (the modal)",
    action: "assign",
    run: command("/assign-number", ""),
    state: bindings,
    proceeded: async (_user, before) => {
      await vi.waitFor(() => expect(viewsOpened()).toBeGreaterThan(before.opened as number));
    },
  },
  {
    // A form an operator opened, submitted by each role (a forged or shared submission).
    name: "Assign modal submission",
    action: "assign",
    run: async (user) => {
      const opened = viewsOpened();
      await world.app.send.command("/assign-number", "", { user: OPERATOR });
      await vi.waitFor(() => expect(viewsOpened()).toBeGreaterThan(opened));
      const view = (world.app.slack.lastCall("views.open")!.response as { view: Record<string, unknown> })
        .view;
      const number = await numberId(ALERTED);
      const agent = await agentIdOf("agent_draft");
      return world.app.send.submitView(
        viewWith(view, { number: { number_pick: number }, agent: { agent_pick: agent } }),
        { user },
      );
    },
    // The operator's form opening is not the submitter's doing.
    state: withAudit(ALERTED, undefined, async () => ({ ...(await bindings()), opened: undefined })),
    // Past the gate the rules decide (the draft agent is unpublished: refused by the rules, audited).
    proceeded: audited(ALERTED),
  },
  {
    name: "/unassign-number (the modal)",
    action: "unassign",
    run: command("/unassign-number", ""),
    state: bindings,
    proceeded: async (_user, before) => {
      await vi.waitFor(() => expect(viewsOpened()).toBeGreaterThan(before.opened as number));
    },
  },
  {
    name: "/unassign-number <number>",
    action: "unassign",
    run: command("/unassign-number", ASSIGNED),
    state: withAudit(ASSIGNED, undefined, bindings),
    proceeded: audited(ASSIGNED),
  },
  {
    name: "Confirm on a proposed reassignment",
    action: "assign",
    run: button(ACTION_CONFIRM_CHANGE, async () => {
      const n = await numberRow(world.app, ASSIGNED);
      const front = await agentIdOf("agent_front");
      const target = n.agentId === front ? await agentIdOf("agent_support_2") : front;
      return JSON.stringify({ n: n.id, a: target, v: n.bindingVersion });
    }),
    state: bindings,
    proceeded: async (user, before) => {
      const was = (before.numbers as { e164: string; agentId: string | null }[]).find(
        (n) => n.e164 === ASSIGNED,
      );
      await vi.waitFor(
        async () => {
          const now = await numberRow(world.app, ASSIGNED);
          expect(now.agentId).not.toBe(was?.agentId);
          const applied = await world.app.db.auditEvent.findFirst({
            where: { actor: user, e164: ASSIGNED, action: "reassign", outcome: "applied" },
          });
          expect(applied).not.toBeNull();
        },
        { timeout: 15_000 },
      );
    },
  },
  {
    name: "/numbers sync",
    action: "sync",
    run: command("/numbers", "sync"),
    state: withAudit(undefined, "sync", bindings),
    proceeded: audited(undefined, "sync"),
  },
  {
    name: "/numbers check",
    action: "check",
    run: command("/numbers", "check"),
    state: bindings,
    proceeded: async (_user, before, from) => {
      await vi.waitFor(
        async () => {
          expect(await world.app.db.checkRun.count()).toBeGreaterThan(before.checkRuns as number);
          expect(toldSince(from, "").join("\n")).toContain("Routing check");
        },
        { timeout: 30_000 },
      );
    },
  },
  {
    name: "/numbers production <number> on|off",
    action: "production",
    run: async (user) => {
      const on = !(await numberRow(world.app, BLAND)).isProduction;
      return world.app.send.command("/numbers", `production ${BLAND} ${on ? "on" : "off"}`, { user });
    },
    state: bindings,
    // Past the access gate, the production flag is the approvers' alone.
    proceeded: async (user, before, from) => {
      const was = (before.numbers as { e164: string; isProduction: boolean }[]).find((n) => n.e164 === BLAND);
      if (user === APPROVER) {
        await vi.waitFor(async () =>
          expect((await numberRow(world.app, BLAND)).isProduction).toBe(!was?.isProduction),
        );
      } else {
        await vi.waitFor(() => expect(toldSince(from, user).join("\n")).toContain("Only approvers"));
        expect((await numberRow(world.app, BLAND)).isProduction).toBe(was?.isProduction);
      }
    },
  },
  {
    name: "/numbers spare <number> on|off",
    action: "spare",
    run: async (user) => {
      const on = !(await numberRow(world.app, VAPI)).isSpare;
      return world.app.send.command("/numbers", `spare ${VAPI} ${on ? "on" : "off"}`, { user });
    },
    state: bindings,
    proceeded: async (user, before) => {
      const was = (before.numbers as { e164: string; isSpare: boolean }[]).find((n) => n.e164 === VAPI);
      await vi.waitFor(async () => {
        expect((await numberRow(world.app, VAPI)).isSpare).toBe(!was?.isSpare);
        const action = was?.isSpare ? "spare_off" : "spare_on";
        expect(await auditCount(user, { e164: VAPI, action })).toBeGreaterThan(0);
      });
    },
  },
  {
    name: "Mark as spare (alert button)",
    action: "spare",
    run: button(ACTION_ALERT_SPARE, () => numberId(VAPI)),
    prepare: async () => {
      await world.app.db.phoneNumber.updateMany({ where: { e164: VAPI }, data: { isSpare: false } });
    },
    state: withAudit(VAPI, "spare_on", bindings),
    proceeded: async (user, before) => {
      await audited(VAPI, "spare_on")(user, before);
      expect((await numberRow(world.app, VAPI)).isSpare).toBe(true);
    },
  },
  {
    name: "Not a spare (status button)",
    action: "unspare",
    run: button(ACTION_STATUS_UNSPARE, () => numberId(VAPI)),
    prepare: async () => {
      await world.app.db.phoneNumber.updateMany({ where: { e164: VAPI }, data: { isSpare: true } });
    },
    state: withAudit(VAPI, "spare_off", bindings),
    proceeded: async (user, before) => {
      await audited(VAPI, "spare_off")(user, before);
      expect((await numberRow(world.app, VAPI)).isSpare).toBe(false);
    },
  },
  {
    name: "Snooze 24 h (alert button)",
    action: "snooze",
    run: button(ACTION_ALERT_SNOOZE, () => numberId(ALERTED)),
    state: withAudit(ALERTED, "snooze", bindings),
    proceeded: audited(ALERTED, "snooze"),
  },
  {
    name: "Restore (drift button)",
    action: "restore",
    run: button(ACTION_DRIFT_RESTORE, () => numberId(ASSIGNED)),
    state: withAudit(ASSIGNED, undefined, bindings),
    proceeded: audited(ASSIGNED),
  },
  {
    name: "Keep provider's (drift button)",
    action: "keep_providers",
    run: button(ACTION_DRIFT_KEEP, () => numberId(ASSIGNED)),
    state: bindings,
    proceeded: async (_user, _before, from) => {
      await vi.waitFor(() =>
        expect(toldSince(from, "").join("\n")).toContain("already routes as Switchboard records it"),
      );
    },
  },
  {
    name: "Test call button (the destination modal)",
    action: "test_call",
    run: button(ACTION_TEST_CALL, () => numberId(ASSIGNED)),
    state: bindings,
    proceeded: async (_user, before) => {
      await vi.waitFor(() => expect(viewsOpened()).toBeGreaterThan(before.opened as number));
    },
  },
  {
    name: "/numbers test-call <number> <own phone>",
    action: "test_call",
    run: (user) =>
      world.app.send.command("/numbers", `test-call ${ASSIGNED} ${PHONE[user] ?? "+12125550199"}`, { user }),
    state: bindings,
    proceeded: async (_user, before) => {
      await vi.waitFor(() => expect(providerCalls()).toBe((before.calls as number) + 1), { timeout: 15_000 });
      await world.app.switchboard.services.testCalls.settled();
    },
  },
  {
    name: "Approve (approval channel)",
    action: "approve",
    run: button(ACTION_APPROVE, async () => {
      const pending = await world.app.db.approvalRequest.findFirstOrThrow({ where: { status: "pending" } });
      return pending.id;
    }),
    prepare: async () => {
      if (await world.app.db.approvalRequest.count({ where: { status: "pending" } })) return;
      const number = await numberRow(world.app, PRODUCTION);
      const support = await agentIdOf("agent_support_1");
      // An operator asks to move the production number (as /assign-number would); approvers decide.
      const outcome = await world.app.switchboard.services.assignment.requestChange({
        actor: OPERATOR,
        source: "slash_command",
        numberId: number.id,
        targetAgentId: number.agentId === support ? null : support,
        confirmed: true,
      });
      expect(outcome.outcome).toBe("approval");
    },
    state: bindings,
    // Past the access gate, approving is the approvers' alone (and never one's own request).
    proceeded: async (user, _before, from) => {
      if (user === APPROVER) {
        await vi.waitFor(
          async () =>
            expect(
              await world.app.db.approvalRequest.count({ where: { status: "approved", decidedBy: user } }),
            ).toBe(1),
          { timeout: 15_000 },
        );
      } else {
        await vi.waitFor(() =>
          expect(toldSince(from, user).join("\n")).toMatch(/approver|your own request/i),
        );
        expect(await world.app.db.approvalRequest.count({ where: { status: "pending" } })).toBe(1);
      }
    },
  },
];

describe.each(PATHS)("$name", (path) => {
  beforeAll(async () => {
    // The state every role meets (refused roles must leave it so).
    await path.prepare?.();
  });

  it.each(ROLES)(
    "%s",
    async (role) => {
      const user = USER_OF[role];
      const refused = WHY[role];
      if (!refused) await path.prepare?.();
      const before = await path.state();
      const refusalsBefore = (await refusals(user, path.action)).length;
      const from = world.app.slack.calls.length;
      const res = (await path.run(user)) as { status: number; text: string };
      expect(res.status).toBe(200);
      // What the user was told: the synchronous answer (a modal's) and every message since.
      const told = (since: number, who: string) => [res.text, ...toldSince(since, who)];

      if (refused) {
        await vi.waitFor(() => expect(told(from, user).join("\n")).toContain(refused), { timeout: 15_000 });
        const said = told(from, user).join("\n");
        expect(said).toContain("nothing was changed");
        if (role !== "deactivated") {
          // Who can: the named operators and approvers, and the operators' user group, as mentions.
          expect(said).toContain(`<@${OPERATOR}>`);
          expect(said).toContain(`<@${APPROVER}>`);
          expect(said).toContain(`<!subteam^${OPS_GROUP}>`);
        }
        const rows = await refusals(user, path.action);
        expect(rows).toHaveLength(refusalsBefore + 1);
        expect(rows.at(-1)?.detail).toContain(refused);
        // Nothing changed: no binding, flag, approval or check run, no provider write or call, no form opened.
        expect(await path.state()).toEqual(before);
      } else {
        await path.proceeded(user, before, from);
        expect(await refusals(user, path.action)).toHaveLength(refusalsBefore);
        expect(told(from, user).join("\n")).not.toContain("nothing was changed. Ask");
      }
    },
    60_000,
  );
});

describe("reading stays open to every member, guests included", () => {
  it.each([GUEST, SINGLE_GUEST, MEMBER])(
    "%s reads status, list, history, help and App Home",
    async (user) => {
      const { app } = world;
      const refusedBefore = await app.db.auditEvent.count({
        where: { actor: user, action: "access_refused" },
      });
      for (const text of [`status ${ASSIGNED}`, "list", `history ${ASSIGNED}`, "help"]) {
        const from = app.slack.calls.length;
        const res = await app.send.command("/numbers", text, { user });
        expect(res.status).toBe(200);
        if (text !== "help") await vi.waitFor(() => expect(toldSince(from, user).length).toBeGreaterThan(0));
        for (const said of [res.text, ...toldSince(from, user)]) expect(said).not.toMatch(/^:warning:/);
      }
      expect(await app.db.auditEvent.count({ where: { actor: user, action: "access_refused" } })).toBe(
        refusedBefore,
      );
      const published = app.slack.callsTo("views.publish").length;
      await app.send.event({
        type: "app_home_opened",
        user,
        channel: "D0HOME",
        tab: "home",
        event_ts: "1.2",
      });
      await vi.waitFor(() => expect(app.slack.callsTo("views.publish").length).toBeGreaterThan(published));
      expect(
        await app.db.auditEvent.count({ where: { actor: user, action: { not: "access_refused" } } }),
      ).toBe(0);
    },
  );
});

describe("test-call destinations and the hourly limit per number", () => {
  it("a destination other than the requester's own profile phone is refused, audited, and nothing is dialled", async () => {
    const { app } = world;
    const calls = providerCalls();
    const from = app.slack.calls.length;
    await app.send.command("/numbers", `test-call ${ASSIGNED} +447700900123`, { user: OPERATOR });
    await vi.waitFor(() =>
      expect(toldSince(from, OPERATOR).join("\n")).toContain("may only ring your own phone"),
    );
    const said = toldSince(from, OPERATOR).join("\n");
    expect(said).toContain("+1 212 555 0101, from your Slack profile");
    expect(said).toContain("TEST_CALL_DESTINATIONS");
    expect(providerCalls()).toBe(calls);
    const audit = await app.db.auditEvent.findFirst({
      where: {
        actor: OPERATOR,
        action: "test_call",
        outcome: "refused",
        detail: { contains: "may only ring" },
      },
    });
    expect(audit?.after).toMatchObject({ destination: "+447700900123" });
  });

  it("the limit holds per number across people: a fourth call from the same number in the hour is refused", async () => {
    const { app } = world;
    const id = await numberId(ASSIGNED);
    // The role table placed three (operator, group operator, approver) from this number.
    expect(await app.db.testCall.count({ where: { numberId: id } })).toBe(3);
    const calls = providerCalls();
    const from = app.slack.calls.length;
    await app.send.command("/numbers", `test-call ${ASSIGNED} ${PHONE[OPERATOR]}`, { user: OPERATOR });
    await vi.waitFor(() => expect(toldSince(from, OPERATOR).join("\n")).toContain("counting everyone's"));
    expect(toldSince(from, OPERATOR).join("\n")).toContain("TEST_CALLS_PER_HOUR");
    expect(providerCalls()).toBe(calls);
  });
});

describe("when Slack cannot say who is asking", () => {
  it("users.info failing refuses the change (never guessed), says to try again, and audits it", async () => {
    const { app } = world;
    const before = await bindings();
    app.slack.failNext("users.info", { error: "fatal_error" });
    const from = app.slack.calls.length;
    await app.send.command("/numbers", `spare ${VAPI} on`, { user: OPERATOR });
    await vi.waitFor(() =>
      expect(toldSince(from, OPERATOR).join("\n")).toContain("could not confirm with Slack who you are"),
    );
    expect(await bindings()).toEqual({ ...before, opened: expect.any(Number) });
    const rows = await refusals(OPERATOR, "spare");
    expect(rows.at(-1)?.after).toMatchObject({ action: "spare", reason: "unknown_person" });
  });
});

describe("spares (issue 15, item 4)", () => {
  it("a spare's status offers Not a spare; assigning a spare ends it (audited) and the check watches it again", async () => {
    const { app, retell } = world;
    const SPARE = "+14155550105";
    retell.addAgent({ id: "agent_overflow", name: "Overflow" }).addNumber({ e164: SPARE });
    await app.switchboard.services.sync.syncAll();
    const id = await numberId(SPARE);

    await app.send.command("/numbers", `spare ${SPARE} on`, { user: OPERATOR });
    await vi.waitFor(async () => expect((await numberRow(app, SPARE)).isSpare).toBe(true));
    await app.switchboard.services.check.run("test");
    expect(await app.db.routingFinding.count({ where: { numberId: id, resolvedAt: null } })).toBe(0);

    let from = app.slack.calls.length;
    await app.send.command("/numbers", `status ${SPARE}`, { user: MEMBER });
    await vi.waitFor(() => expect(toldSince(from, MEMBER).join("\n")).toContain(ACTION_STATUS_UNSPARE));
    const status = app.slack.calls.slice(from).find((c) => textOf(c).includes(ACTION_STATUS_UNSPARE))!;
    expect(buttonValue(status, ACTION_STATUS_UNSPARE)).toBe(id);
    expect(textOf(status)).toContain("Not a spare");

    from = app.slack.calls.length;
    await app.send.command("/assign-number", `${SPARE} Overflow`, { user: OPERATOR });
    await vi.waitFor(() => expect(toldSince(from, OPERATOR).join("\n")).toContain("now routes to"));
    expect((await numberRow(app, SPARE)).isSpare).toBe(false);
    const ended = await app.db.auditEvent.findFirst({
      where: { numberId: id, action: "spare_off", actor: OPERATOR, outcome: "applied" },
    });
    expect(ended?.detail).toContain("no longer a spare");

    // Unassigned again, it is no longer left out: the check flags it.
    from = app.slack.calls.length;
    await app.send.command("/unassign-number", SPARE, { user: OPERATOR });
    await vi.waitFor(() => expect(toldSince(from, OPERATOR).join("\n")).toContain(ACTION_CONFIRM_CHANGE));
    const confirm = app.slack.calls.slice(from).find((c) => textOf(c).includes(ACTION_CONFIRM_CHANGE))!;
    from = app.slack.calls.length;
    await app.send.clickButton(ACTION_CONFIRM_CHANGE, buttonValue(confirm, ACTION_CONFIRM_CHANGE), {
      user: OPERATOR,
    });
    await vi.waitFor(async () => expect((await numberRow(app, SPARE)).agentId).toBeNull(), {
      timeout: 15_000,
    });
    await app.switchboard.services.check.run("test");
    const open = await app.db.routingFinding.findMany({ where: { numberId: id, resolvedAt: null } });
    expect(open.map((f) => f.kind)).toContain("unassigned");

    // The history shows every routing decision, in words a reader can follow.
    from = app.slack.calls.length;
    await app.send.command("/numbers", `history ${SPARE}`, { user: GUEST });
    await vi.waitFor(() => expect(toldSince(from, GUEST).join("\n")).toContain("spare_off"));
    const history = toldSince(from, GUEST).join("\n");
    for (const action of ["spare_on", "spare_off", "assign", "unassign"])
      expect(history, action).toContain(action);
  }, 60_000);
});

describe("no operators configured (OPERATOR_* unset)", () => {
  let open: World;
  beforeAll(async () => {
    open = await startWorld({ env: { TEST_CALL_DESTINATIONS: undefined } });
    open.app.slack.setUser(GUEST, { is_restricted: true });
  }, 120_000);
  afterAll(async () => {
    expect(open.app.slack.rejections()).toEqual([]);
    await open.stop();
  });

  it("every full member may change things; a guest still may not, and is told any full member can", async () => {
    const { app } = open;
    await app.send.command("/numbers", `spare ${VAPI} on`, { user: MEMBER });
    await vi.waitFor(async () =>
      expect((await app.db.phoneNumber.findFirstOrThrow({ where: { e164: VAPI } })).isSpare).toBe(true),
    );

    const from = app.slack.calls.length;
    await app.send.command("/numbers", `spare ${VAPI} off`, { user: GUEST });
    await vi.waitFor(() =>
      expect(app.slack.calls.slice(from).map(textOf).join("\n")).toContain("Guests can look up numbers"),
    );
    expect(app.slack.calls.slice(from).map(textOf).join("\n")).toContain(
      "Ask any full member of the workspace.",
    );
    expect((await app.db.phoneNumber.findFirstOrThrow({ where: { e164: VAPI } })).isSpare).toBe(true);
    expect(await app.db.auditEvent.count({ where: { actor: GUEST, action: "access_refused" } })).toBe(1);
  });
});
