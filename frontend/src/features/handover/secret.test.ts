// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetHandoverSecret, isHandoverId, recipientToken, takeHandoverSecret } from "./secret.js";

const secret = "0123456789abcdef0123456789abcdef";

function fakeLocation(pathname: string, hash: string, search = "") {
  const loc = { pathname, hash, search } as Location;
  const hist = {
    state: { idx: 0 },
    replaceState: vi.fn((_s: unknown, _t: string, url: string) => {
      loc.hash = "";
      expect(url).toBe(pathname + search);
    }),
  } as unknown as History;
  return { loc, hist };
}

afterEach(() => forgetHandoverSecret());

describe("takeHandoverSecret", () => {
  it("takes the secret from the fragment and clears the address bar at once", () => {
    const { loc, hist } = fakeLocation("/h/abc", `#${secret}`, "?x=1");
    expect(takeHandoverSecret(loc, hist)).toBe(secret);
    expect(hist.replaceState).toHaveBeenCalledTimes(1);
    expect(hist.replaceState).toHaveBeenCalledWith({ idx: 0 }, "", "/h/abc?x=1");
    expect(loc.hash).toBe("");
  });

  it("returns the taken secret again on the same path (StrictMode, re-render), not on another", () => {
    const { loc, hist } = fakeLocation("/h/abc", `#${secret}`);
    takeHandoverSecret(loc, hist);
    expect(takeHandoverSecret(loc, hist)).toBe(secret);
    expect(hist.replaceState).toHaveBeenCalledTimes(1);
    const other = fakeLocation("/h/def", "");
    expect(takeHandoverSecret(other.loc, other.hist)).toBe("");
  });

  it("clears but refuses a malformed fragment", () => {
    for (const hash of ["#abc", `#${secret}0`, `#${secret.replace("a", "g")}`]) {
      forgetHandoverSecret();
      const { loc, hist } = fakeLocation("/h/abc", hash);
      expect(takeHandoverSecret(loc, hist)).toBe("");
      expect(hist.replaceState).toHaveBeenCalledTimes(1);
    }
  });

  it("accepts upper case and surrounding space as the same secret", () => {
    const { loc, hist } = fakeLocation("/h/abc", `#${secret.toUpperCase()} `);
    expect(takeHandoverSecret(loc, hist)).toBe(secret);
  });

  it("finds nothing without a fragment", () => {
    const { loc, hist } = fakeLocation("/h/abc", "");
    expect(takeHandoverSecret(loc, hist)).toBe("");
    expect(hist.replaceState).not.toHaveBeenCalled();
  });
});

describe("isHandoverId", () => {
  it("is 32 lower-case hex characters", () => {
    expect(isHandoverId(secret)).toBe(true);
    expect(isHandoverId("0123")).toBe(false);
    expect(isHandoverId("01234567-89ab-cdef-0123-456789abcdef")).toBe(false);
  });
});

describe("recipientToken", () => {
  it("keeps the token per handover in the given storage and removes it when emptied", () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    } as Storage;
    recipientToken.set("a", "zh_token", storage);
    expect(recipientToken.get("a", storage)).toBe("zh_token");
    expect(recipientToken.get("b", storage)).toBe("");
    recipientToken.set("a", "", storage);
    expect(store.size).toBe(0);
  });

  it("uses sessionStorage, never localStorage", () => {
    recipientToken.set("c", "zh_x");
    expect(sessionStorage.getItem("zeugo.handover.c")).toBe("zh_x");
    expect(localStorage.getItem("zeugo.handover.c")).toBeNull();
    recipientToken.set("c", "");
  });
});
