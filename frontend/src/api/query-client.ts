// The TanStack QueryClient: retry only when the server was unavailable;
// every other error is an answer and retrying would not change it. While a
// query waits for its next attempt, the person reads "temporarily
// unavailable, retrying…" instead of watching a spinner that says nothing.
import { notifications } from "@mantine/notifications";
import { QueryCache, QueryClient } from "@tanstack/react-query";
import { isUnavailable } from "../lib/errors.js";

/**
 * Attempts after the first. With retryDelay (≈ 1 + 2 + 4 + 8 + 16 s) a
 * database restart or fail-over of about half a minute is bridged before
 * the page shows an error.
 */
export const maxRetries = 5;

export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < maxRetries && isUnavailable(error);
}

/**
 * retryDelay doubles from 1 s up to 16 s, plus up to 25 % jitter so that
 * the open tabs of many people do not come back in lockstep.
 */
export function retryDelay(failureCount: number, _error?: unknown, random: () => number = Math.random): number {
  const base = Math.min(1000 * 2 ** failureCount, 16_000);
  return Math.round(base * (1 + random() / 4));
}

/** RetryNotice shows and hides the "retrying" message. */
export type RetryNotice = { show: () => void; hide: () => void };

/**
 * watchUnavailableRetries calls notice.show when the first query starts
 * waiting for a retry after Unavailable, and notice.hide when no query waits
 * any more (it succeeded, failed for good, or was removed). It returns the
 * unsubscribe function.
 */
export function watchUnavailableRetries(cache: QueryCache, notice: RetryNotice): () => void {
  const waiting = new Set<string>();
  return cache.subscribe((event) => {
    const before = waiting.size;
    const hash = event.query.queryHash;
    if (event.type === "updated" && event.action.type === "failed") {
      if (isUnavailable(event.action.error)) waiting.add(hash);
    } else if (
      event.type === "removed" ||
      (event.type === "updated" &&
        (event.action.type === "success" || event.action.type === "error" || event.action.type === "setState"))
    ) {
      waiting.delete(hash);
    } else {
      return;
    }
    if (before === 0 && waiting.size > 0) notice.show();
    else if (before > 0 && waiting.size === 0) notice.hide();
  });
}

const retryNoticeId = "zeugo-unavailable-retrying";

/** mantineRetryNotice is the notice as one Mantine notification. */
export function mantineRetryNotice(t: (key: string) => string): RetryNotice {
  return {
    show: () =>
      notifications.show({
        id: retryNoticeId,
        color: "yellow",
        loading: true,
        autoClose: false,
        withCloseButton: false,
        message: t("errors.unavailableRetrying"),
      }),
    hide: () => notifications.hide(retryNoticeId),
  };
}

/**
 * createQueryClient builds the client of the app. With t, a notification
 * says while queries wait to retry after Unavailable.
 */
export function createQueryClient(t?: (key: string) => string): QueryClient {
  const queryCache = new QueryCache();
  if (t) watchUnavailableRetries(queryCache, mantineRetryNotice(t));
  return new QueryClient({
    queryCache,
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay,
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
      // Writes are not retried: a write that timed out may have happened.
      mutations: { retry: false },
    },
  });
}
