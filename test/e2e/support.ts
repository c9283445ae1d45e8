// Shared set-up for end-to-end tests: a running app, fake provider accounts behind nock, and
// helpers to read what Slack was sent.
import nock from "nock";
import { afterEach, expect } from "vitest";
import { ACTION_ALERT_MENU } from "../../src/slack/views/alertMessage";
import { FakeProviderAccount, mountWithNock } from "../harness/fakeProviders";
import type { RecordedCall } from "../harness/fakeSlack";
import { TEAM_ID, triggerId, USER } from "../harness/slackDriver";
import { startTestApp, type TestApp, type TestAppOptions } from "../harness/testApp";

export const APPROVER = "U0APPROVER";
export const OTHER_APPROVER = "U0APPROVER2";
export const ALERTS = "C0ALERTS";
export const APPROVALS = "C0APPROVALS";
/** Where the worlds' test calls may ring (TEST_CALL_DESTINATIONS). */
export const TEST_CALL_PHONES = "+1212555*";

export interface World {
  app: TestApp;
  retell: FakeProviderAccount;
  vapi: FakeProviderAccount;
  bland: FakeProviderAccount;
  stop(): Promise<void>;
}

/** Front desk and Sales at Retell, one Vapi assistant, one Bland persona, a few numbers each. */
export function standardAccounts() {
  const retell = new FakeProviderAccount("retell")
    .addAgent({ id: "agent_front", name: "Front desk" })
    .addAgent({ id: "agent_sales", name: "Sales" })
    .addAgent({ id: "agent_draft", name: "Draft bot", published: false })
    .addAgent({ id: "agent_support_1", name: "Support East" })
    .addAgent({ id: "agent_support_2", name: "Support West" })
    .addNumber({ e164: "+14155550101", nickname: "Spare line" })
    .addNumber({ e164: "+14155550102", nickname: "Main line", agentIds: ["agent_front"] })
    .addNumber({ e164: "+14155550103" });
  const vapi = new FakeProviderAccount("vapi")
    .addAgent({ id: "5e2f1a9c-8b7d-4c6e-a5f4-3b2c1d0e9f8a", name: "Vapi desk" })
    .addNumber({ e164: "+16285550101" });
  const bland = new FakeProviderAccount("bland")
    .addAgent({ id: "4a3b2c1d-0e9f-4a8b-b7c6-d5e4f3a2b1c0", name: "Bland desk" })
    .addNumber({ e164: "+16505550101" });
  return { retell, vapi, bland };
}

export async function startWorld(
  options: TestAppOptions & { without?: ("retell" | "vapi" | "bland")[] } = {},
): Promise<World> {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  const accounts = standardAccounts();
  const unmount = mountWithNock([accounts.retell, accounts.vapi, accounts.bland]);
  const without = new Set(options.without ?? []);
  const app = await startTestApp({
    ...options,
    env: {
      RETELL_API_KEY: without.has("retell") ? undefined : accounts.retell.apiKey,
      VAPI_API_KEY: without.has("vapi") ? undefined : accounts.vapi.apiKey,
      BLAND_API_KEY: without.has("bland") ? undefined : accounts.bland.apiKey,
      ALERT_CHANNEL_ID: ALERTS,
      APPROVAL_CHANNEL_ID: APPROVALS,
      APPROVER_USER_IDS: `${APPROVER},${OTHER_APPROVER}`,
      // Test calls ring the testers' 212 numbers; the default (own profile phone only) is tested in access.test.ts.
      TEST_CALL_DESTINATIONS: TEST_CALL_PHONES,
      ...options.env,
    },
  });
  await app.switchboard.services.sync.syncAll();
  return {
    app,
    ...accounts,
    stop: async () => {
      await app.stop();
      unmount();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

/** The text of a recorded message (fallback text plus every section), for assertions. */
export function textOf(call: RecordedCall | undefined): string {
  if (!call) return "";
  const args = call.args as { text?: string; blocks?: unknown[]; view?: { blocks?: unknown[] } };
  const blocks = args.blocks ?? args.view?.blocks ?? [];
  return [args.text ?? "", JSON.stringify(blocks)].join("\n");
}

/** The last message sent to a response_url (what the user sees after a slash command or button). */
export async function lastReply(
  app: TestApp,
  predicate: (text: string) => boolean = () => true,
): Promise<RecordedCall> {
  return app.slack.waitFor("response_url", (c) => predicate(textOf(c)));
}

export function buttonValue(call: RecordedCall, actionId: string): string {
  const blocks = ((call.args as { blocks?: unknown[] }).blocks ?? []) as {
    elements?: { action_id?: string; value?: string }[];
  }[];
  for (const block of blocks) {
    for (const element of block.elements ?? [])
      if (element.action_id === actionId) return element.value ?? "";
  }
  throw new Error(`no button ${actionId} in ${JSON.stringify(blocks)}`);
}

export async function numberRow(app: TestApp, e164: string) {
  return app.db.phoneNumber.findFirstOrThrow({
    where: { e164 },
    include: { agent: true, outboundAgent: true },
  });
}

export async function agentId(app: TestApp, providerAgentId: string): Promise<string> {
  return (await app.db.agent.findFirstOrThrow({ where: { providerAgentId } })).id;
}

/** "No path changes a production number's binding without a recorded approval", checked over the whole audit trail. */
export async function expectNoProductionChangeWithoutApproval(app: TestApp): Promise<number> {
  const events = await app.db.auditEvent.findMany({ orderBy: [{ at: "asc" }, { id: "asc" }] });
  const numbers = await app.db.phoneNumber.findMany();
  const approvals = await app.db.approvalRequest.findMany();
  const production = new Map<string, boolean>();
  let checked = 0;
  for (const event of events) {
    if (!event.numberId) continue;
    if (event.outcome === "applied" && event.action === "production_on") production.set(event.numberId, true);
    if (event.outcome === "applied" && event.action === "production_off")
      production.set(event.numberId, false);
    if (event.outcome !== "applied" || !["assign", "reassign", "unassign"].includes(event.action)) continue;
    const wasProduction =
      production.get(event.numberId) ?? numbers.find((n) => n.id === event.numberId)?.isProduction ?? false;
    if (!wasProduction) continue;
    checked++;
    const id = /approval (\S+)/.exec(event.detail ?? "")?.[1];
    const approval = approvals.find((a) => a.id === id);
    expect(approval, `applied ${event.action} of ${event.e164} names no approval`).toBeDefined();
    expect(approval).toMatchObject({ numberId: event.numberId, status: "approved", decidedBy: event.actor });
    expect(approval!.requesterId).not.toBe(event.actor);
    expect(
      events.some(
        (d) =>
          d.action === "approval_approve" && d.outcome === "ok" && d.detail?.startsWith(`approval ${id}`),
      ),
    ).toBe(true);
  }
  return checked;
}

/**
 * A fresh world per test, started on demand with the test's own options, stopped after it (and
 * checked to have sent Slack nothing over its Block Kit limits).
 */
export function useWorldPerTest(): (options?: Parameters<typeof startWorld>[0]) => Promise<World> {
  let world: World | undefined;
  afterEach(async () => {
    if (!world) return;
    const current = world;
    world = undefined;
    expect(current.app.slack.rejections()).toEqual([]);
    await current.stop();
  });
  return async (options = {}) => {
    world = await startWorld(options);
    return world;
  };
}

/** Picks an option of a digest alert's overflow menu, as Slack sends it. */
export function pickOverflow(app: TestApp, value: string, messageTs: string) {
  return app.send.interactive({
    type: "block_actions",
    user: { id: USER.id, username: USER.name, name: USER.name, team_id: TEAM_ID },
    container: { type: "message", message_ts: messageTs, channel_id: ALERTS, is_ephemeral: false },
    trigger_id: triggerId(),
    channel: { id: ALERTS, name: "alerts" },
    message: { type: "message", ts: messageTs, text: "", blocks: [] },
    state: { values: {} },
    response_url: app.slack.responseUrl(),
    actions: [
      {
        type: "overflow",
        action_id: ACTION_ALERT_MENU,
        block_id: "digest",
        selected_option: { text: { type: "plain_text", text: "option" }, value },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
}
