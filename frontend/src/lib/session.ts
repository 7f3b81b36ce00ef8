// The signed-in state of this browser tab. The access token lives in memory
// only; the refresh token is an HttpOnly cookie the script never sees. A
// reload therefore starts with Refresh({}), which restores the session from
// the cookie. Refreshes are de-duplicated: a refresh token is single-use and
// presenting a rotated one makes the server revoke the whole session.
import { Code, ConnectError } from "@connectrpc/connect";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Principal, SecondFactorChallenge, Tokens } from "../gen/zeugo/v1/auth_pb.js";

/** A completed login as AuthService answers it: the session's tokens and principal. */
export type SignedIn = { tokens?: Tokens; principal?: Principal };

/** The part of AuthService the session needs; see createAuthApi. */
export type AuthApi = {
  login(email: string, password: string): Promise<SignedIn & { challenge?: SecondFactorChallenge }>;
  refresh(): Promise<{ tokens?: Tokens; principal?: Principal }>;
  logout(): Promise<unknown>;
};

/** Why nobody is signed in, for the message on the login page. */
export type AnonymousReason = "none" | "expired" | "loggedOut" | "unavailable";

export type SessionState =
  | { status: "starting" }
  | { status: "anonymous"; reason: AnonymousReason }
  | { status: "authenticated"; principal: Principal };

/** Runs fn while holding a lock shared by all tabs of this origin, if the browser has one. */
export type LockFn = <T>(fn: () => Promise<T>) => Promise<T>;

export type SessionOptions = {
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  lock?: LockFn;
  /** Called after this tab logged out, e.g. to tell the other tabs. */
  onLogout?: () => void;
};

/** The lock name under which tabs serialise their refreshes. */
const refreshLockName = "zeugo-refresh";

/** browserLock uses the Web Locks API so two tabs never refresh with the same cookie at once. */
export const browserLock: LockFn = (fn) => {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return fn();
  return locks.request(refreshLockName, fn) as ReturnType<typeof fn>;
};

/** How long before expiry the token is renewed (at most; less for short tokens). */
const refreshMarginMs = 60_000;
/** When a background refresh could not reach the server, try again after this. */
const retryAfterUnavailableMs = 15_000;

export class Session {
  private state: SessionState = { status: "starting" };
  private accessToken: string | undefined;
  private expiresAtMs = 0;
  private inflight: Promise<boolean> | undefined;
  private timer: unknown;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly lock: LockFn;
  private readonly onLogout: () => void;

  constructor(
    private readonly api: AuthApi,
    options: SessionOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.lock = options.lock ?? ((fn) => fn());
    this.onLogout = options.onLogout ?? (() => {});
  }

  /** subscribe and getState make the session usable with useSyncExternalStore. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  /** The current access token, for the Authorization header. */
  getAccessToken(): string | undefined {
    return this.accessToken;
  }

  /** start restores the session after a page load from the refresh cookie. */
  async start(): Promise<void> {
    await this.refresh();
  }

  /**
   * login checks the password; errors are thrown as ConnectError for the
   * login form. When the login needs a second factor (or its enrollment) the
   * session stays anonymous and the challenge is returned: the login page
   * completes it and hands the result to signIn.
   */
  async login(email: string, password: string): Promise<SecondFactorChallenge | undefined> {
    const res = await this.api.login(email, password);
    if (res.challenge) return res.challenge;
    this.accept(res);
    return undefined;
  }

  /**
   * signIn starts the session of a login that was completed by another
   * call (VerifySecondFactor, ConfirmLoginEnrollment).
   */
  signIn(res: SignedIn): void {
    this.accept(res);
  }

  /** logout ends the session on the server (best effort) and locally. */
  async logout(): Promise<void> {
    // Let a running refresh finish first: the logout must present the newest
    // cookie, and a late refresh answer must not sign this tab in again.
    if (this.inflight) await this.inflight.catch(() => false);
    try {
      await this.api.logout();
    } catch {
      // The local session ends regardless; the server's expires on its own.
    }
    this.clear({ status: "anonymous", reason: "loggedOut" });
    this.onLogout();
  }

  /**
   * signedOutElsewhere ends the session in this tab after another tab logged
   * out: the server session is gone already, so nothing is sent.
   */
  signedOutElsewhere(): void {
    if (this.state.status === "anonymous") return;
    this.clear({ status: "anonymous", reason: "loggedOut" });
  }

  /**
   * refresh obtains a new access token from the refresh cookie. Concurrent
   * callers share one request. Resolves true when a session exists afterwards.
   */
  refresh(): Promise<boolean> {
    if (!this.inflight) {
      this.inflight = this.lock(() => this.doRefresh()).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /**
   * recover is called when an ordinary call was answered Unauthenticated.
   * If another caller has already renewed the token since `usedToken` was
   * sent, the new token is simply used; otherwise one refresh is made.
   */
  async recover(usedToken: string | undefined): Promise<boolean> {
    if (this.accessToken !== undefined && this.accessToken !== usedToken) return true;
    return this.refresh();
  }

  private async doRefresh(): Promise<boolean> {
    try {
      const res = await this.api.refresh();
      this.accept(res);
      return true;
    } catch (err) {
      const ce = ConnectError.from(err);
      const wasSignedIn = this.state.status === "authenticated";
      if (ce.code === Code.Unauthenticated || ce.code === Code.PermissionDenied) {
        this.clear(this.signedOutState(wasSignedIn, "none"));
        return false;
      }
      if (wasSignedIn && this.expiresAtMs > this.now()) {
        // The server is briefly unreachable but the token still works: keep
        // the session and try again soon.
        this.schedule(retryAfterUnavailableMs);
        return true;
      }
      this.clear(this.signedOutState(wasSignedIn, "unavailable"));
      return false;
    }
  }

  /** After a failed refresh: "expired" if someone was signed in, else keep an existing reason. */
  private signedOutState(wasSignedIn: boolean, otherwise: AnonymousReason): SessionState {
    if (wasSignedIn) return { status: "anonymous", reason: "expired" };
    if (this.state.status === "anonymous" && this.state.reason !== "none") return this.state;
    return { status: "anonymous", reason: otherwise };
  }

  private accept(res: SignedIn): void {
    const tokens = res.tokens;
    if (!tokens || tokens.accessToken === "" || !res.principal) {
      throw new ConnectError("the server sent no access token", Code.Internal);
    }
    this.accessToken = tokens.accessToken;
    const now = this.now();
    this.expiresAtMs = tokens.accessTokenExpiresAt ? timestampMs(tokens.accessTokenExpiresAt) : now + 5 * 60_000;
    const lifetime = Math.max(this.expiresAtMs - now, 0);
    const margin = Math.min(refreshMarginMs, lifetime / 5);
    this.schedule(Math.max(lifetime - margin, 1_000));
    this.set({ status: "authenticated", principal: res.principal });
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      void this.refresh();
    }, ms);
  }

  private clear(next: SessionState): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.accessToken = undefined;
    this.expiresAtMs = 0;
    this.set(next);
  }

  private set(next: SessionState): void {
    this.state = next;
    for (const l of this.listeners) l();
  }
}
