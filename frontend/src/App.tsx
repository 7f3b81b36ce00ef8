import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { TransportProvider } from "@connectrpc/connect-query";
import type { Transport } from "@connectrpc/connect";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import type { i18n as I18n } from "i18next";
import { I18nextProvider } from "react-i18next";
import { RouterProvider } from "react-router";
import { SessionProvider } from "./lib/session-context.js";
import type { Session } from "./lib/session.js";
import { installCspNonce } from "./lib/nonce.js";
import { router } from "./routes.js";
import { cssVariablesResolver, theme } from "./theme.js";

const nonce = installCspNonce();
const getStyleNonce = () => nonce;

export type AppProps = {
  session: Session;
  transport: Transport;
  queryClient: QueryClient;
  i18n: I18n;
};

export function App({ session, transport, queryClient, i18n }: AppProps) {
  return (
    <MantineProvider
      theme={theme}
      getStyleNonce={getStyleNonce}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="light"
    >
      <I18nextProvider i18n={i18n}>
        <SessionProvider session={session}>
          <TransportProvider transport={transport}>
            <QueryClientProvider client={queryClient}>
              <Notifications position="top-right" limit={3} />
              <RouterProvider router={router} />
            </QueryClientProvider>
          </TransportProvider>
        </SessionProvider>
      </I18nextProvider>
    </MantineProvider>
  );
}
