// The Slack request being handled, visible to every log line written while handling it
// (services included) without passing a logger through every call.
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  requestId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();
