// The TanStack QueryClient: retry only when the server was unavailable;
// every other error is an answer and retrying would not change it.
import { QueryClient } from "@tanstack/react-query";
import { isUnavailable } from "../lib/errors.js";

export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < 3 && isUnavailable(error);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
