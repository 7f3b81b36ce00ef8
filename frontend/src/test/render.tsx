// Rendering helpers for component tests: the providers the app has
// (Mantine, i18n in German, connect-query with a fake transport, a router).
import { MantineProvider } from "@mantine/core";
import { configure } from "@testing-library/react";
import { TransportProvider } from "@connectrpc/connect-query";
import type { Transport } from "@connectrpc/connect";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter } from "react-router";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { PrincipalSchema, TokensSchema, type Principal } from "../gen/zeugo/v1/auth_pb.js";
import { Area } from "../gen/zeugo/v1/access_pb.js";
import { createI18n } from "../i18n/index.js";
import { Session } from "../lib/session.js";
import { SessionProvider } from "../lib/session-context.js";
import { theme } from "../theme.js";

// waitFor and findBy* give up after this long; a busy CI machine needs more
// than the default second (this bounds waiting, it asserts no speed).
configure({ asyncUtilTimeout: 10_000 });

// happy-dom has no FontFaceSet; Mantine's autosizing Textarea listens on it.
if (typeof document !== "undefined" && !("fonts" in document)) {
  Object.defineProperty(document, "fonts", { value: { addEventListener() {}, removeEventListener() {} } });
}

/** testPrincipal is a signed-in user of a demo tenant with the given areas. */
export function testPrincipal(areas: Area[]): Principal {
  return create(PrincipalSchema, { userId: "u1", tenantName: "Muster GmbH", firstName: "Erika", email: "erika@muster.example", areas });
}

/** signedIn returns a Session that is already authenticated as principal. */
export async function signedIn(principal: Principal): Promise<Session> {
  const session = new Session({
    login: async () => ({}),
    logout: async () => ({}),
    refresh: async () => ({
      principal,
      tokens: create(TokensSchema, { accessToken: "t", accessTokenExpiresAt: timestampFromMs(Date.now() + 600_000) }),
    }),
  });
  await session.start();
  return session;
}

/** providers wraps children in what every screen expects (and a memory router at initialPath). */
export function providers(transport?: Transport, initialPath: string | null = "/", session?: Session) {
  const i18n = createI18n("de");
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 30_000 } } });
  return function Providers({ children }: { children: ReactNode }) {
    const inner = (
      <MantineProvider theme={theme}>
        <I18nextProvider i18n={i18n}>
          {/* initialPath null: the test brings its own router. */}
          {initialPath === null ? (
            session ? <SessionProvider session={session}>{children}</SessionProvider> : children
          ) : (
            <MemoryRouter initialEntries={[initialPath]}>
              {session ? <SessionProvider session={session}>{children}</SessionProvider> : children}
            </MemoryRouter>
          )}
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
