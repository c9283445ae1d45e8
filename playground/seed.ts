// The playground's world: four people (one a guest), three channels, and Retell, Vapi and Bland accounts with
// 25 numbers and 16 agents — some numbers free, two spares, one production number and, once the
// bot has synced, one binding changed behind its back (drift). The same world at every start.
import { randomUUID } from "node:crypto";
import type { Services } from "../src/services/index";
import type { PgChannel, PgUser, ProviderName } from "./protocol";
import type { ProviderDesk } from "./providers";

export const DANA = "U0DANA";
export const ALEX = "U0ALEX";
export const SAM = "U0SAM";
export const GABE = "U0GABE";
export const OPS = "C0OPS";
export const ALERTS = "C0ALERTS";
export const APPROVALS = "C0APPROVALS";

export const USERS: PgUser[] = [
  { id: DANA, name: "dana", realName: "Dana Reyes", role: "operator: asks for changes", approver: false },
  { id: ALEX, name: "alex", realName: "Alex Kim", role: "approver of production changes", approver: true },
  { id: SAM, name: "sam", realName: "Sam Patel", role: "teammate, not an approver", approver: false },
  {
    id: GABE,
    name: "gabe",
    realName: "Gabe Lin",
    role: "guest (a contractor): may look, may not change",
    approver: false,
    guest: true,
  },
];

/** Each person's phone in their Slack profile: where their test calls go by default. */
export const PHONES: Record<string, string> = {
  [DANA]: "+1 415 555 0199",
  [ALEX]: "+1 628 555 0199",
  [SAM]: "+1 650 555 0199",
  [GABE]: "+1 415 555 0198",
};

export const CHANNELS: PgChannel[] = [
  { id: OPS, name: "ops-numbers", purpose: "Where the team types Switchboard's commands." },
  {
    id: ALERTS,
    name: "switchboard-alerts",
    purpose: "ALERT_CHANNEL_ID: the routing check posts here (every 5 minutes, or /numbers check).",
  },
  {
    id: APPROVALS,
    name: "switchboard-approvals",
    purpose: "APPROVAL_CHANNEL_ID: changes to production numbers wait here for an approver.",
  },
];

type AgentSeed = [id: string, name: string, published?: boolean, kind?: "agent" | "persona"];
type NumberSeed = [e164: string, nickname: string | null, agentId?: string];

/** Vapi assistants and Bland personas have uuids; these are fixed so every start looks the same. */
const vapiId = (n: number) => `5e2f1a9c-8b7d-4c6e-a5f4-${String(n).padStart(12, "0")}`;
const blandId = (n: number) => `4a3b2c1d-0e9f-4a8b-b7c6-${String(n).padStart(12, "0")}`;

const WORLD: Record<ProviderName, { agents: AgentSeed[]; numbers: NumberSeed[] }> = {
  retell: {
    agents: [
      ["agent_front_desk", "Front desk"],
      ["agent_sales", "Sales"],
      ["agent_support_east", "Support East"],
      ["agent_after_hours", "After-hours"],
      ["agent_support_west", "Support West"],
      ["agent_billing", "Billing desk"],
      ["agent_draft", "Draft bot", false],
    ],
    numbers: [
      ["+14155550101", "Main line", "agent_front_desk"],
      ["+14155550102", "Sales line", "agent_sales"],
      ["+14155550103", "Support East", "agent_support_east"],
      ["+14155550104", "After-hours", "agent_after_hours"],
      ["+14155550105", "Spare line"],
      ["+14155550106", "Campaign A"],
      ["+14155550107", "Campaign B"],
      ["+14155550108", null],
      ["+14155550109", null],
      ["+14155550110", "Old fax"],
    ],
  },
  vapi: {
    agents: [
      [vapiId(1), "Concierge"],
      [vapiId(2), "Appointments"],
      [vapiId(3), "Billing assistant"],
      [vapiId(4), "Survey"],
      [vapiId(5), "Renewals"],
    ],
    numbers: [
      ["+16285550101", "Concierge line", vapiId(1)],
      ["+16285550102", "Bookings", vapiId(2)],
      ["+16285550103", "Billing line", vapiId(3)],
      ["+16285550104", "Survey line", vapiId(4)],
      ["+16285550105", null],
      ["+16285550106", "Promo"],
      ["+16285550107", null],
      ["+16285550108", "Backup line"],
    ],
  },
  bland: {
    agents: [
      [blandId(1), "Dispatch"],
      [blandId(2), "Collections"],
      [blandId(3), "Recruiter"],
      [blandId(4), "Reminders"],
      // Bland's v2 agents, where its customers moved their production agents in late 2026.
      [blandId(5), "Intake", true, "agent"],
      [blandId(6), "Scheduler", true, "agent"],
    ],
    numbers: [
      ["+16505550101", "Dispatch line", blandId(1)],
      ["+16505550102", "Collections", blandId(2)],
      ["+16505550103", "Jobs line", blandId(3)],
      ["+16505550104", null],
      ["+16505550105", "Reminders (new)"],
      ["+16505550106", null, blandId(5)],
      ["+16505550107", "Standby"],
    ],
  },
};

/** The production number, the spares and the drifted binding (set after the first sync). */
export const PRODUCTION_NUMBER = "+14155550101";
export const SPARE_NUMBERS = ["+14155550105", "+16505550107"];
export const DRIFT = { provider: "vapi" as const, e164: "+16285550103", agentId: vapiId(5) };

/** Fills the fake accounts (before the bot starts, so its first sync reads them). */
export function seedProviders(desk: ProviderDesk): { numbers: number; agents: number } {
  let numbers = 0;
  let agents = 0;
  for (const [provider, world] of Object.entries(WORLD) as [ProviderName, (typeof WORLD)["retell"]][]) {
    for (const [id, name, published = true, kind] of world.agents) {
      desk.addAgent(provider, { id, name, published, ...(kind ? { kind } : {}) });
      agents++;
    }
    for (const [e164, nickname, agentId] of world.numbers) {
      desk.addNumber(provider, e164, nickname, agentId ? [agentId] : []);
      numbers++;
    }
  }
  return { numbers, agents };
}

/**
 * After the bot's first sync: the production flag and the spares through the bot's own services
 * (audited as set by the approver), then a binding changed at the provider that the bot does not
 * know about yet.
 */
export async function seedAfterSync(services: Services, desk: ProviderDesk): Promise<void> {
  await services.settings.setProduction(PRODUCTION_NUMBER, true, ALEX, "system");
  for (const e164 of SPARE_NUMBERS) {
    const number = await services.inventory.numberByE164(e164);
    await services.settings.markSpare(number.id, ALEX, "system");
  }
  desk.bind(DRIFT.provider, DRIFT.e164, [DRIFT.agentId]);
}

/** A fresh signing secret per start: nothing outside this process can post to the bot. */
export function signingSecret(): string {
  return `playground-${randomUUID()}`;
}
