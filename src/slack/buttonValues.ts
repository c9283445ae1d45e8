// Reads what change buttons and the confirm modal carry. Values come back from the client: never
// trusted, parsed here, and re-validated by the service (the binding version the user saw).
import { z } from "zod";

const id = z.string().min(1).max(64);

export const changeValueSchema = z.object({ n: id, a: id.nullable(), v: z.number().int().min(0) });

/** Replace: the change, plus the number the agent holds now and its version. */
export const replaceValueSchema = changeValueSchema.extend({ a: id, h: id, hv: z.number().int().min(0) });

function parseJson<T extends z.ZodType>(schema: T, raw: string | undefined) {
  try {
    return schema.safeParse(JSON.parse(raw ?? ""));
  } catch {
    return schema.safeParse(undefined);
  }
}

export function parseChangeValue(raw: string | undefined) {
  return parseJson(changeValueSchema, raw);
}

export function parseReplaceValue(raw: string | undefined) {
  return parseJson(replaceValueSchema, raw);
}

/** A modal's private_metadata naming one number ({ numberId }). */
export function parseNumberMetadata(raw: string | undefined) {
  return parseJson(z.object({ numberId: id }), raw || "{}");
}
