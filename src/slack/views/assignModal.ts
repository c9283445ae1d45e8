// The assign and unassign modals. Lists are external selects (typeahead), so they scale past
// Slack's 100-option limit and are filtered server-side by what is already chosen (R4, R5).
import type { types } from "@slack/bolt";
import { agentKindLabel } from "../../domain/agentKinds";
import { formatPhoneNumber } from "../../domain/phoneNumber";
import { PROVIDER_LABEL, type ProviderName } from "../../domain/providers";
import type { PickerAgent as AgentChoice, PickerNumber as NumberChoice } from "../../services/ports";
import { type AnyBlock, clip, context, esc, plain, section } from "./blocks";

/** A number and an agent as pickers and the modal show them. */
export type { PickerAgent as AgentChoice, PickerNumber as NumberChoice } from "../../services/ports";

export const ASSIGN_MODAL = "assign_number";
export const UNASSIGN_MODAL = "unassign_number";
export const RESULT_MODAL = "change_result";
export const NUMBER_BLOCK = "number";
export const AGENT_BLOCK = "agent";
export const NUMBER_PICK = "number_pick";
export const AGENT_PICK = "agent_pick";

/** What the modal carries between requests (private_metadata). */
export interface AssignModalState {
  numberId?: string;
  agentId?: string;
  /** The number came from the command or a button and is not editable. */
  fixedNumber?: boolean;
  replace?: boolean;
}

export function numberOptionText(n: NumberChoice): string {
  const agent = n.agent ? ` → ${n.agent.name}` : " · free";
  const nick = n.nickname ? ` ${n.nickname}` : "";
  const production = n.isProduction ? " · production" : "";
  return clip(`${formatPhoneNumber(n.e164)}${nick}${agent}${production}`, 75);
}

/** "Front desk · Bland persona (not published)": which kind it is, since Bland offers two. */
export function agentOptionText(a: AgentChoice): string {
  const readiness = a.published && a.active ? "" : " (not published)";
  return clip(`${a.name} · ${agentKindLabel(a.provider, a.kind)}${readiness}`, 75);
}

export function assignModal(
  state: AssignModalState,
  number?: NumberChoice,
  agent?: AgentChoice,
): types.ModalView {
  const blocks: AnyBlock[] = [];
  if (state.fixedNumber && number) {
    const production = number.isProduction ? " · :rotating_light: production" : "";
    blocks.push(
      section(
        `*Number:* ${formatPhoneNumber(number.e164)} (${PROVIDER_LABEL[number.provider]})${production}`,
      ),
    );
  } else {
    blocks.push({
      type: "input",
      block_id: NUMBER_BLOCK,
      dispatch_action: true,
      label: plain("Phone number", 2000),
      element: {
        type: "external_select",
        action_id: NUMBER_PICK,
        min_query_length: 0,
        placeholder: plain(
          agent ? `Free ${PROVIDER_LABEL[agent.provider]} numbers` : "Type digits or a nickname",
          150,
        ),
        ...(number ? { initial_option: { text: plain(numberOptionText(number)), value: number.id } } : {}),
      },
    });
  }
  blocks.push({
    type: "input",
    block_id: AGENT_BLOCK,
    dispatch_action: true,
    label: plain("Agent", 2000),
    element: {
      type: "external_select",
      action_id: AGENT_PICK,
      min_query_length: 0,
      placeholder: plain(number ? `${PROVIDER_LABEL[number.provider]} agents` : "Type an agent's name", 150),
      ...(agent ? { initial_option: { text: plain(agentOptionText(agent)), value: agent.id } } : {}),
    },
  });
  blocks.push(context(...selectionHints(number, agent)));
  return {
    type: "modal",
    callback_id: ASSIGN_MODAL,
    private_metadata: JSON.stringify({ ...state, numberId: number?.id, agentId: agent?.id }),
    title: plain("Assign number", 24),
    submit: plain("Assign", 24),
    close: plain("Cancel", 24),
    blocks,
  };
}

function selectionHints(number?: NumberChoice, agent?: AgentChoice): string[] {
  const hints: string[] = [];
  if (number) {
    hints.push(
      number.agent
        ? `${formatPhoneNumber(number.e164)} is on *${esc(number.agent.name)}*: assigning it moves it (that agent loses it).`
        : `${formatPhoneNumber(number.e164)} is free.`,
    );
    hints.push(
      `Only ${PROVIDER_LABEL[number.provider]} agents are listed: numbers and agents must share a provider.`,
    );
    if (number.isProduction) {
      hints.push(":rotating_light: Production number: moving or unassigning it needs an approver's click.");
    }
  }
  if (agent) {
    hints.push(`Only free ${PROVIDER_LABEL[agent.provider]} numbers are listed for *${esc(agent.name)}*.`);
  }
  if (!number && !agent) hints.push("Pick either first: the other list shows only compatible choices.");
  return hints;
}

/** Under a typed agent name that matches several agents: pick one in the modal. */
export function agentChoiceHint(query: string, candidates: { name: string }[]): AnyBlock {
  return context(
    `“${esc(query)}” matches ${candidates.length} agents: pick one (${candidates
      .slice(0, 5)
      .map((a) => esc(a.name))
      .join(", ")}${candidates.length > 5 ? ", …" : ""}).`,
  );
}

export function unassignModal(): types.ModalView {
  return {
    type: "modal",
    callback_id: UNASSIGN_MODAL,
    title: plain("Unassign number", 24),
    submit: plain("Next", 24),
    close: plain("Cancel", 24),
    blocks: [
      {
        type: "input",
        block_id: NUMBER_BLOCK,
        label: plain("Assigned number", 2000),
        element: {
          type: "external_select",
          action_id: NUMBER_PICK,
          min_query_length: 0,
          placeholder: plain("Type digits or a nickname", 150),
        },
      },
      context("The number stays in the account but answers no calls until it is assigned again."),
    ],
  };
}

export function resultModal(title: string, blocks: AnyBlock[]): types.ModalView {
  return {
    type: "modal",
    callback_id: RESULT_MODAL,
    title: plain(title, 24),
    close: plain("Close", 24),
    blocks,
  };
}

/** A modal asking to confirm a planned change; submitting it applies the change. */
export function confirmModal(
  callbackId: string,
  metadata: string,
  blocks: AnyBlock[],
  submit: string,
): types.ModalView {
  return {
    type: "modal",
    callback_id: callbackId,
    private_metadata: metadata,
    title: plain("Confirm change", 24),
    submit: plain(submit, 24),
    close: plain("Back", 24),
    blocks,
  };
}

const option = (text: string, value: string) => ({ text: plain(text), value });

/** The number select's options. */
export function numberOptions(numbers: NumberChoice[]) {
  return numbers.map((n) => option(numberOptionText(n), n.id));
}

/** The agent select's options (agents of one provider). */
export function agentOptions(agents: AgentChoice[]) {
  return agents.map((a) => option(agentOptionText(a), a.id));
}

/** The agent select's options when no number is chosen yet: grouped by provider. */
export function agentOptionGroups(agents: AgentChoice[]) {
  return [...groupByProvider(agents)].map(([provider, group]) => ({
    label: plain(PROVIDER_LABEL[provider]),
    options: agentOptions(group),
  }));
}

export function groupByProvider<T extends { provider: ProviderName }>(items: T[]): Map<ProviderName, T[]> {
  const groups = new Map<ProviderName, T[]>();
  for (const item of items) groups.set(item.provider, [...(groups.get(item.provider) ?? []), item]);
  return groups;
}
