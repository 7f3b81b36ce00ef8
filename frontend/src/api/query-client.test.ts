import { Code, ConnectError } from "@connectrpc/connect";
import { QueryCache, QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { createI18n } from "../i18n/index.js";
import { createQueryClient, retryDelay, shouldRetry, watchUnavailableRetries } from "./query-client.js";

describe("retryDelay", () => {
  it("doubles from one second up to sixteen, with at most a quarter of jitter", () => {
    const none = () => 0;
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => retryDelay(n, undefined, none))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 16_000, 16_000,
    ]);
    expect(retryDelay(0, undefined, () => 0.999)).toBeLessThanOrEqual(1250);
    expect(retryDelay(4, undefined, () => 0.999)).toBeLessThanOrEqual(20_000);
  });

  it("is what the app's queries use, together with shouldRetry", () => {
    const options = createQueryClient().getDefaultOptions().queries;
    expect(options?.retry).toBe(shouldRetry);
    expect(options?.retryDelay).toBe(retryDelay);
    expect(createQueryClient().getDefaultOptions().mutations?.retry).toBe(false);
  });
});

// A client whose queries retry at once, so the test waits for nothing.
function clientWithNotice() {
  const cache = new QueryCache();
  const calls: string[] = [];
  watchUnavailableRetries(cache, { show: () => calls.push("show"), hide: () => calls.push("hide") });
  const client = new QueryClient({
    queryCache: cache,
    defaultOptions: { queries: { retry: shouldRetry, retryDelay: 0 } },
  });
  return { client, calls };
}

function failing(codes: Code[]) {
  let n = 0;
  return () => {
    const code = codes[n++];
    return code === undefined ? Promise.resolve("ok") : Promise.reject(new ConnectError("x", code));
  };
}

describe("the retrying notice", () => {
  it("shows while a query retries after Unavailable and hides when it succeeds", async () => {
    const { client, calls } = clientWithNotice();
    const data = await client.fetchQuery({
      queryKey: ["a"],
      queryFn: failing([Code.Unavailable, Code.Unavailable]),
      retry: shouldRetry,
      retryDelay: 0,
    });
    expect(data).toBe("ok");
    expect(calls).toEqual(["show", "hide"]);
  });

  it("hides when the retries are used up", async () => {
    const { client, calls } = clientWithNotice();
    await expect(
      client.fetchQuery({
        queryKey: ["b"],
        queryFn: failing(Array<Code>(10).fill(Code.Unavailable)),
        retry: shouldRetry,
        retryDelay: 0,
      }),
    ).rejects.toThrow();
    expect(calls).toEqual(["show", "hide"]);
  });

  it("stays silent for answers that are not Unavailable", async () => {
    const { client, calls } = clientWithNotice();
    await expect(
      client.fetchQuery({ queryKey: ["c"], queryFn: failing([Code.NotFound]), retry: shouldRetry, retryDelay: 0 }),
    ).rejects.toThrow();
    expect(calls).toEqual([]);
  });

  it("says so in both languages", () => {
    expect(createI18n("de").t("errors.unavailableRetrying")).toBe("Vorübergehend nicht erreichbar – neuer Versuch …");
    expect(createI18n("en").t("errors.unavailableRetrying")).toBe("Temporarily unavailable, retrying…");
  });
});
