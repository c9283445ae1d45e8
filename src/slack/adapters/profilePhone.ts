// The requester's own phone from their Slack profile (users:read), to prefill a test call's destination.
import type { webApi } from "@slack/bolt";

/** The profile phone, or null when Slack has none or cannot say. */
export async function profilePhone(client: webApi.WebClient, userId: string): Promise<string | null> {
  try {
    const info = await client.users.info({ user: userId });
    return info.user?.profile?.phone?.trim() || null;
  } catch {
    return null;
  }
}
