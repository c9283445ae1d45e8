import nock from "nock";
import { describe, expect, it } from "vitest";
import { createProviders } from "../../src/providers/registry";
import { providerError, useNock } from "./support";

useNock();

describe("createProviders", () => {
  it("creates only the providers whose key is set", () => {
    const providers = createProviders({
      retell: { apiKey: "r", baseURL: "https://api.retellai.com" },
      vapi: { apiKey: undefined, baseURL: "https://api.vapi.ai" },
      bland: { apiKey: "" },
    });
    expect([...providers.keys()]).toEqual(["retell"]);
    expect(providers.get("retell")?.name).toBe("retell");
  });

  it("uses the configured base URL and the HTTP overrides", async () => {
    const providers = createProviders(
      { bland: { apiKey: "b", baseURL: "https://bland-proxy.test/api" } },
      { retries: 0, timeoutMs: 100 },
    );
    const scope = nock("https://bland-proxy.test", { reqheaders: { authorization: "b" } })
      .get("/api/v1/me")
      .delay(300)
      .reply(200, { status: "active" });
    const error = await providerError(providers.get("bland")!.checkKey());
    expect(error.message).toBe(
      "Bland is not answering (timeout after 0.1 s while checking key); try again in a few minutes",
    );
    expect(scope.isDone()).toBe(true);
  });
});
