import type { OtherRouting } from "./types";

const E164 = /^\+[1-9]\d{1,14}$/;

export const isE164 = (value: string | null | undefined): value is string => !!value && E164.test(value);

/** Drops empty entries; null when nothing but an agent could answer the number. */
export function compactRouting(routing: OtherRouting): OtherRouting | null {
  const entries = Object.entries(routing).filter(
    ([, value]) => value !== undefined && value !== null && value !== "" && value !== false,
  );
  return entries.length === 0 ? null : (Object.fromEntries(entries) as OtherRouting);
}
