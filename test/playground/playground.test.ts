// The playground in a real browser (Debian's Chromium through playwright-core): a person assigns a
// number through the modal, asks to move the production number, the approver approves it from the
// approval channel, and the routing check posts its alerts — checked on the page, in the database
// and at the simulated providers. Takes the README's screenshot (docs/playground.png).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../playground/playground";
import { ALEX, DANA, DRIFT, GABE, PRODUCTION_NUMBER } from "../../playground/seed";
import { createTestDatabase, type TestDatabase } from "../harness/testDatabase";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const INSTALL = "apt-get update && apt-get install -y --no-install-recommends chromium";
/** The README's picture, rewritten only on request (`npm run screenshot`): the page shows the clock. */
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
  ? path.resolve("docs/playground.png")
  : path.join(tmpdir(), "switchboard-playground.png");
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && !process.env.CI) {
  console.warn(`playground browser test skipped: no Chromium at ${CHROMIUM} (install it: ${INSTALL})`);
}

// In CI a missing browser fails the run (beforeAll throws); on a developer's machine it is skipped.
describe.skipIf(!haveChromium && !process.env.CI)("the playground in a browser", () => {
  let playground: Playground;
  let database: TestDatabase;
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  const logs: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`Chromium is not installed at ${CHROMIUM}. Install it: ${INSTALL}`);
    dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-playground-"));
    database = await createTestDatabase();
    [playground, browser] = await Promise.all([
      startPlayground({
        port: 0,
        dataDir,
        database: database.target,
        // No scheduled check in the middle of the test.
        env: { CHECK_SCHEDULE: "0 0 1 1 *", LOG_LEVEL: "info" },
        log: { write: (line: string) => void logs.push(line) },
      }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      }),
    ]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${playground.url}?user=${DANA}&in=C0OPS`);
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const db = () => playground.switchboard.database.prisma;
  const numberRow = (e164: string) =>
    db().phoneNumber.findFirstOrThrow({ where: { e164 }, include: { agent: true } });
  const type = async (command: string) => {
    await page.getByLabel("Message").fill(command);
    await page.getByRole("button", { name: "Send" }).click();
  };
  const messages = () => page.locator(".pg-messages");
  /** The page follows the bot over server-sent events: wait for it (generously: CI shares 2 cores). */
  const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

  it("assigns a free number to an agent through the modal, with typeahead on both lists", async () => {
    await type("/assign-number");
    const modal = page.getByRole("dialog", { name: "Assign number" });
    await modal.getByRole("button", { name: "Phone number" }).click();
    await modal.getByLabel("Search Phone number").fill("Campaign A");
    await eventually(() => modal.getByRole("option").allTextContents()).toEqual([
      "+1 415 555 0106 Campaign A · free",
    ]);
    await modal.getByRole("option").click();
    // The bot updates the modal: the agent list is now Retell's only.
    await eventually(() => modal.textContent()).toContain("Only Retell agents are listed");
    await modal.getByRole("button", { name: "Agent" }).click();
    await modal.getByLabel("Search Agent").fill("Bill");
    // Filtered as typed, and only Retell's: the Vapi "Billing assistant" is not offered.
    await eventually(() => modal.getByRole("option").allTextContents()).toEqual([
      "Billing desk · Retell agent",
    ]);
    await modal.getByRole("option", { name: "Billing desk · Retell agent" }).click();
    await modal.getByRole("button", { name: "Assign", exact: true }).click();

    const done = page.getByRole("dialog", { name: "Done" });
    await eventually(() => done.textContent()).toContain("now routes to Billing desk");
    expect(playground.desk.accounts.retell.agentIdsOf("+14155550106")).toEqual(["agent_billing"]);
    expect((await numberRow("+14155550106")).agent?.providerAgentId).toBe("agent_billing");
    await done.getByRole("button", { name: "Close" }).first().click();
    await eventually(() => page.getByRole("dialog").count()).toBe(0);
  });

  it("moves the production number only after the approver clicks Approve", async () => {
    await type("/assign-number +1 415 555 0101 Support West");
    await eventually(() => messages().textContent()).toContain(
      "is a production number: your request to reassign it is waiting for an approver",
    );
    expect(playground.desk.accounts.retell.agentIdsOf(PRODUCTION_NUMBER)).toEqual(["agent_front_desk"]);

    // Dana cannot approve her own request; Alex, the approver, can.
    await page.getByRole("button", { name: /Alex Kim/ }).click();
    await page.getByRole("button", { name: "# switchboard-approvals" }).click();
    const request = messages().locator(".pg-message", { hasText: "asks to move production number" });
    await eventually(() => request.textContent()).toContain("@Dana Reyes asks to move production number");
    const picture = await page.screenshot({ path: SCREENSHOT });
    expect(picture.length).toBeGreaterThan(50_000);
    await request.getByRole("button", { name: "Approve", exact: true }).click();
    await eventually(() => request.textContent()).toContain("Approved by @Alex Kim");

    expect(playground.desk.accounts.retell.agentIdsOf(PRODUCTION_NUMBER)).toEqual(["agent_support_west"]);
    const row = await numberRow(PRODUCTION_NUMBER);
    expect(row).toMatchObject({ isProduction: true, agent: { providerAgentId: "agent_support_west" } });
    const approval = await db().approvalRequest.findFirstOrThrow({ where: { numberId: row.id } });
    expect(approval).toMatchObject({ status: "approved", requesterId: DANA, decidedBy: ALEX });
    // The requester hears about it in her DM with the app.
    const dm = playground.state().messages.filter((m) => m.channel === DANA);
    expect(dm.map((m) => m.text).join("\n")).toMatch(/was approved by <@U0ALEX>/);
  });

  it("runs the routing check: drift, a number bought and a provider taken down from the page", async () => {
    // Behind the bot's back, from the provider panel: buy a Retell number, take Bland down.
    const retell = page.locator('[data-provider="retell"]');
    await retell.getByLabel("Retell new number nickname").fill("Fresh line");
    await retell.getByRole("button", { name: "Buy a number" }).click();
    await eventually(() => retell.textContent()).toContain("Fresh line");
    await page.locator('[data-provider="bland"] summary').click();
    await page.getByLabel("Bland status").selectOption("outage");
    await eventually(() => page.locator('[data-provider="bland"] summary').textContent()).toContain("outage");

    await page.getByRole("button", { name: "# ops-numbers" }).click();
    await type("/numbers check");
    await eventually(() => messages().textContent()).toMatch(
      /Routing check: \d+ open findings over 26 numbers/,
    );
    expect(await messages().textContent()).toContain("Sync failed for Bland");

    await page.getByRole("button", { name: "# switchboard-alerts" }).click();
    const digest = messages().locator(".pg-message", { hasText: "Routing check:" });
    await eventually(() => digest.textContent()).toMatch(/\d+ numbers need attention/);
    const alerts = (await digest.textContent()) ?? "";
    expect(alerts).toContain("+1 628 555 0103"); // drifted
    expect(alerts).toContain("routes this number differently");
    expect(alerts).toContain("“Fresh line” (Retell)"); // bought, unassigned
    expect(alerts).toMatch(
      /\+1 650 555 0101 \(Bland\) → Dispatch \(Bland persona\)\s*⚠️ Provider account unreachable/,
    );
    // Assigned numbers are fine; spares are left out.
    expect(alerts).not.toContain("+1 415 555 0106");
    expect(alerts).not.toContain("+1 415 555 0105");

    const drifted = await numberRow(DRIFT.e164);
    const findings = await db().routingFinding.findMany({ where: { numberId: drifted.id } });
    expect(findings.map((f) => f.kind)).toContain("drift");
    const fresh = await numberRow("+14155550111");
    expect(fresh).toMatchObject({ nickname: "Fresh line", agentId: null });
    expect(playground.slack.rejections()).toEqual([]);
  });

  it("a guest may look a number up but not change its routing", async () => {
    await page.getByRole("button", { name: /Gabe Lin/ }).click();
    await page.getByRole("button", { name: "# ops-numbers" }).click();
    await type("/unassign-number +1 415 555 0102");
    await eventually(() => messages().textContent()).toContain("Guests can look up numbers");
    expect(playground.desk.accounts.retell.agentIdsOf("+14155550102")).toEqual(["agent_sales"]);
    const refusal = await db().auditEvent.findFirstOrThrow({
      where: { action: "access_refused", actor: GABE },
    });
    expect(refusal.outcome).toBe("refused");

    await type("/numbers status +1 415 555 0102");
    await eventually(() => messages().textContent()).toContain("Sales line");
    expect(playground.slack.rejections()).toEqual([]);
  });
});
