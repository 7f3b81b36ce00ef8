import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it, vi } from "vitest";
import { PrincipalSchema, SecondFactorChallengeSchema, SecondFactorMethod, TokensSchema } from "../gen/zeugo/v1/auth_pb.js";
import { Session, type AuthApi, type LockFn } from "./session.js";

const principal = create(PrincipalSchema, { userId: "u1", tenantName: "Muster GmbH", firstName: "Erika" });

function tokens(n: number, expiresAtMs: number) {
  return create(TokensSchema, { accessToken: `token-${n}`, accessTokenExpiresAt: timestampFromMs(expiresAtMs) });
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fake clock and timer queue; tests move time instead of sleeping. */
function fakeTimers() {
  let now = 1_000_000;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (h: unknown) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      now += ms;
      for (const t of [...timers].sort((a, b) => a.at - b.at)) {
        if (t.at <= now) {
          timers.splice(timers.indexOf(t), 1);
          t.fn();
        }
      }
    },
    pending: () => timers.map((t) => t.at - now),
  };
}

function api(overrides: Partial<AuthApi> = {}): AuthApi & { refresh: ReturnType<typeof vi.fn> } {
  return {
    login: vi.fn(),
    refresh: vi.fn(),
    logout: vi.fn(async () => ({})),
    ...overrides,
  } as AuthApi & { refresh: ReturnType<typeof vi.fn> };
}

describe("Session", () => {
  it("shares one refresh between concurrent callers", async () => {
    const clock = fakeTimers();
    const d = deferred<{ tokens: ReturnType<typeof tokens>; principal: typeof principal }>();
    const a = api({ refresh: vi.fn(() => d.promise) });
    const s = new Session(a, clock);
    const results = [s.refresh(), s.refresh(), s.recover(undefined), s.start()];
    expect(a.refresh).toHaveBeenCalledTimes(1);
    d.resolve({ tokens: tokens(1, clock.now() + 600_000), principal });
    await Promise.all(results);
    expect(await results[0]).toBe(true);
    expect(s.getAccessToken()).toBe("token-1");
    expect(s.getState()).toEqual({ status: "authenticated", principal });
    // After it finished, a new refresh is a new request.
    a.refresh.mockResolvedValueOnce({ tokens: tokens(2, clock.now() + 600_000), principal });
    await s.refresh();
    expect(a.refresh).toHaveBeenCalledTimes(2);
    expect(s.getAccessToken()).toBe("token-2");
  });

  it("serialises refreshes through the cross-tab lock", async () => {
    const order: string[] = [];
    const lock: LockFn = async (fn) => {
      order.push("lock");
      const r = await fn();
      order.push("unlock");
      return r;
    };
    const a = api({
      refresh: vi.fn(async () => {
        order.push("refresh");
        return { tokens: tokens(1, Date.now() + 600_000), principal };
      }),
    });
    await new Session(a, { lock }).refresh();
    expect(order).toEqual(["lock", "refresh", "unlock"]);
  });

  it("does not refresh again when another caller already renewed the token", async () => {
    const clock = fakeTimers();
    const a = api();
    a.refresh.mockResolvedValue({ tokens: tokens(1, clock.now() + 600_000), principal });
    const s = new Session(a, clock);
    await s.start();
    a.refresh.mockResolvedValue({ tokens: tokens(2, clock.now() + 600_000), principal });
    await s.refresh();
    // A call sent with token-1 failed; token-2 exists already: just retry.
    expect(await s.recover("token-1")).toBe(true);
    expect(a.refresh).toHaveBeenCalledTimes(2);
    // A call sent with the current token failed: refresh once more.
    a.refresh.mockResolvedValue({ tokens: tokens(3, clock.now() + 600_000), principal });
    expect(await s.recover("token-2")).toBe(true);
    expect(a.refresh).toHaveBeenCalledTimes(3);
  });

  it("renews the token shortly before it expires", async () => {
    const clock = fakeTimers();
    const a = api();
    a.refresh.mockResolvedValueOnce({ tokens: tokens(1, clock.now() + 600_000), principal });
    const s = new Session(a, clock);
    await s.start();
    expect(clock.pending()).toEqual([540_000]);
    a.refresh.mockResolvedValueOnce({ tokens: tokens(2, clock.now() + 1_200_000), principal });
    clock.advance(539_999);
    expect(a.refresh).toHaveBeenCalledTimes(1);
    clock.advance(1);
    await vi.waitFor(() => expect(s.getAccessToken()).toBe("token-2"));
    expect(a.refresh).toHaveBeenCalledTimes(2);
  });

  it("shows the login page when there is no session cookie", async () => {
    const a = api({ refresh: vi.fn(async () => Promise.reject(new ConnectError("no session", Code.Unauthenticated))) });
    const s = new Session(a, fakeTimers());
    const seen: string[] = [];
    s.subscribe(() => seen.push(s.getState().status));
    await s.start();
    expect(s.getState()).toEqual({ status: "anonymous", reason: "none" });
    expect(seen).toEqual(["anonymous"]);
  });

  it("ends the session when a refresh is refused, and says it expired", async () => {
    const clock = fakeTimers();
    const a = api();
    a.refresh.mockResolvedValueOnce({ tokens: tokens(1, clock.now() + 600_000), principal });
    const s = new Session(a, clock);
    await s.start();
    a.refresh.mockRejectedValueOnce(new ConnectError("revoked", Code.Unauthenticated));
    expect(await s.recover("token-1")).toBe(false);
    expect(s.getAccessToken()).toBeUndefined();
    expect(s.getState()).toEqual({ status: "anonymous", reason: "expired" });
    expect(clock.pending()).toEqual([]);
  });

  it("keeps a still valid session while the server is briefly unreachable", async () => {
    const clock = fakeTimers();
    const a = api();
    a.refresh.mockResolvedValueOnce({ tokens: tokens(1, clock.now() + 600_000), principal });
    const s = new Session(a, clock);
    await s.start();
    a.refresh.mockRejectedValueOnce(new ConnectError("down", Code.Unavailable));
    expect(await s.refresh()).toBe(true);
    expect(s.getAccessToken()).toBe("token-1");
    expect(clock.pending()).toEqual([15_000]);
  });

  it("logs in and out", async () => {
    const clock = fakeTimers();
    const a = api({ login: vi.fn(async () => ({ tokens: tokens(7, clock.now() + 600_000), principal })) });
    const s = new Session(a, clock);
    await s.login("admin@muster.example", "secret");
    expect(a.login).toHaveBeenCalledWith("admin@muster.example", "secret");
    expect(s.getAccessToken()).toBe("token-7");
    await s.logout();
    expect(a.logout).toHaveBeenCalledTimes(1);
    expect(s.getAccessToken()).toBeUndefined();
    expect(s.getState()).toEqual({ status: "anonymous", reason: "loggedOut" });
    // A late failed refresh does not replace the "signed out" notice.
    a.refresh.mockRejectedValueOnce(new ConnectError("no session", Code.Unauthenticated));
    await s.refresh();
    expect(s.getState()).toEqual({ status: "anonymous", reason: "loggedOut" });
  });

  it("tells other tabs about a logout and follows theirs", async () => {
    const clock = fakeTimers();
    const onLogout = vi.fn();
    const a = api({ login: vi.fn(async () => ({ tokens: tokens(1, clock.now() + 600_000), principal })) });
    const s = new Session(a, { ...clock, onLogout });
    await s.login("a@b.de", "x");
    s.signedOutElsewhere();
    expect(s.getState()).toEqual({ status: "anonymous", reason: "loggedOut" });
    expect(s.getAccessToken()).toBeUndefined();
    expect(clock.pending()).toEqual([]);
    expect(a.logout).not.toHaveBeenCalled();
    expect(onLogout).not.toHaveBeenCalled();
    await s.login("a@b.de", "x");
    await s.logout();
    expect(onLogout).toHaveBeenCalledTimes(1);
  });

  it("waits for a running refresh before logging out", async () => {
    const clock = fakeTimers();
    const order: string[] = [];
    const d = deferred<{ tokens: ReturnType<typeof tokens>; principal: typeof principal }>();
    const a = api({
      login: vi.fn(async () => ({ tokens: tokens(1, clock.now() + 600_000), principal })),
      refresh: vi.fn(() => d.promise.then((r) => (order.push("refreshed"), r))),
      logout: vi.fn(async () => (order.push("logout"), {})),
    });
    const s = new Session(a, clock);
    await s.login("a@b.de", "x");
    const refreshing = s.refresh();
    const loggingOut = s.logout();
    d.resolve({ tokens: tokens(2, clock.now() + 600_000), principal });
    await Promise.all([refreshing, loggingOut]);
    expect(order).toEqual(["refreshed", "logout"]);
    expect(s.getState()).toEqual({ status: "anonymous", reason: "loggedOut" });
    expect(s.getAccessToken()).toBeUndefined();
  });

  it("passes login errors to the form and stays signed out", async () => {
    const a = api({ login: vi.fn(async () => Promise.reject(new ConnectError("bad", Code.Unauthenticated))) });
    const s = new Session(a, fakeTimers());
    await expect(s.login("a@b.de", "x")).rejects.toMatchObject({ code: Code.Unauthenticated });
    expect(s.getAccessToken()).toBeUndefined();
  });

  it("keeps a login that needs a second factor signed out and hands its challenge back", async () => {
    const clock = fakeTimers();
    const challenge = create(SecondFactorChallengeSchema, { token: "c1", methods: [SecondFactorMethod.TOTP] });
    const a = api({ login: vi.fn(async () => ({ challenge })) });
    const s = new Session(a, clock);
    expect(await s.login("erika@muster.example", "pw")).toBe(challenge);
    expect(s.getState().status).toBe("starting");
    expect(s.getAccessToken()).toBeUndefined();
    expect(clock.pending()).toEqual([]);

    // The second step's answer starts the session like a login.
    s.signIn({ tokens: tokens(7, clock.now() + 600_000), principal });
    expect(s.getState()).toEqual({ status: "authenticated", principal });
    expect(s.getAccessToken()).toBe("token-7");
    expect(clock.pending()).toEqual([540_000]);
  });
});
