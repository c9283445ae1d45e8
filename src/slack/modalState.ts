// Reads what a modal carries: its private_metadata and the live selections in state.values.
import { z } from "zod";
import {
  AGENT_BLOCK,
  AGENT_PICK,
  type AssignModalState,
  NUMBER_BLOCK,
  NUMBER_PICK,
} from "./views/assignModal";

const metadataSchema = z
  .object({
    numberId: z.string().max(64).optional(),
    agentId: z.string().max(64).optional(),
    fixedNumber: z.boolean().optional(),
    replace: z.boolean().optional(),
  })
  .catch({});

export function readMetadata(raw: string | undefined): AssignModalState {
  try {
    return metadataSchema.parse(JSON.parse(raw || "{}"));
  } catch {
    return {};
  }
}

interface ViewLike {
  private_metadata?: string;
  state?: { values?: Record<string, Record<string, { selected_option?: { value?: string } | null }>> };
}

function selected(view: ViewLike | undefined, block: string, action: string): string | undefined {
  return view?.state?.values?.[block]?.[action]?.selected_option?.value ?? undefined;
}

/** The number and agent chosen so far: a fixed number from metadata wins over the select. */
export function currentSelection(view: ViewLike | undefined): AssignModalState {
  const meta = readMetadata(view?.private_metadata);
  return {
    ...meta,
    numberId: meta.fixedNumber ? meta.numberId : (selected(view, NUMBER_BLOCK, NUMBER_PICK) ?? meta.numberId),
    agentId: selected(view, AGENT_BLOCK, AGENT_PICK) ?? meta.agentId,
  };
}
