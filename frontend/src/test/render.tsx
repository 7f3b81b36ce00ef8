// Rendering helpers for component tests: the providers the app has
// (Mantine, i18n in German, connect-query with a fake transport, a router).
import { MantineProvider } from "@mantine/core";
import { TransportProvider } from "@connectrpc/connect-query";
import type { Transport } from "@connectrpc/connect";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter } from "react-router";
import { createI18n } from "../i18n/index.js";
import { theme } from "../theme.js";

/** Providers wraps children in what every screen expects. */
export function providers(transport?: Transport, initialPath = "/") {
  const i18n = createI18n("de");
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 30_000 } } });
  return function Providers({ children }: { children: ReactNode }) {
    const inner = (
      <MantineProvider theme={theme}>
        <I18nextProvider i18n={i18n}>
          <MemoryRouter initialEntries={[initialPath]}>{children}</MemoryRouter>
        </I18nextProvider>
      </MantineProvider>
    );
    return (
      <QueryClientProvider client={queryClient}>
        {transport ? <TransportProvider transport={transport}>{inner}</TransportProvider> : inner}
      </QueryClientProvider>
    );
  };
}
