import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetFragmentToken, takeFragmentToken } from "./fragment.js";

function fakeLocation(href: string) {
  const url = new URL(href);
  const loc = { pathname: url.pathname, search: url.search, hash: url.hash } as Location;
  const hist = {
    state: { idx: 3 },
    replaceState: vi.fn((_state: unknown, _unused: string, to: string) => {
      const next = new URL(to, url);
      loc.hash = next.hash;
      loc.search = next.search;
    }),
  } as unknown as History & { replaceState: ReturnType<typeof vi.fn> };
  return { loc, hist };
}

afterEach(forgetFragmentToken);

describe("takeFragmentToken", () => {
  it("reads the token and clears it from the address bar without a new entry", () => {
    const { loc, hist } = fakeLocation("https://zeugo.test/register?x=1#00ab.Sec-ret_9");
    expect(takeFragmentToken(loc, hist)).toBe("00ab.Sec-ret_9");
    expect(hist.replaceState).toHaveBeenCalledOnce();
    expect(hist.replaceState).toHaveBeenCalledWith({ idx: 3 }, "", "/register?x=1");
    expect(loc.hash).toBe("");
  });

  it("returns the same token when called again on the same page (re-render)", () => {
    const { loc, hist } = fakeLocation("https://zeugo.test/reset#tok");
    expect(takeFragmentToken(loc, hist)).toBe("tok");
    expect(takeFragmentToken(loc, hist)).toBe("tok");
    expect(hist.replaceState).toHaveBeenCalledOnce();
  });

  it("is empty without a fragment, and on another page", () => {
    const a = fakeLocation("https://zeugo.test/reset#tok");
    takeFragmentToken(a.loc, a.hist);
    const b = fakeLocation("https://zeugo.test/register");
    expect(takeFragmentToken(b.loc, b.hist)).toBe("");
    expect(b.hist.replaceState).not.toHaveBeenCalled();
  });

  it("forgets the token once it was used", () => {
    const { loc, hist } = fakeLocation("https://zeugo.test/reset#tok");
    takeFragmentToken(loc, hist);
    forgetFragmentToken();
    expect(takeFragmentToken(loc, hist)).toBe("");
  });
});
