import { Center, Loader, Stack, Text } from "@mantine/core";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { useSessionState } from "../../lib/session-context.js";
import { LoginPage } from "../auth/LoginPage.js";
import { AppLayout } from "./AppLayout.js";

/**
 * Root decides between the login page and the application. The URL is kept
 * while signing in, so a deep link opens its page right after the login.
 */
export function Root() {
  const state = useSessionState();
  const { t } = useTranslation();
  // Signing in on the login page (rather than a restored session) moves
  // focus into the application once it appears.
  const wasAnonymous = useRef(false);
  if (state.status === "anonymous") wasAnonymous.current = true;
  switch (state.status) {
    case "starting":
      return (
        <Center mih="100vh">
          <Stack align="center" gap="xs" role="status">
            <Loader size="md" />
            <Text c="dimmed" size="sm">
              {t("app.loading")}
            </Text>
          </Stack>
        </Center>
      );
    case "anonymous":
      return <LoginPage reason={state.reason} />;
    case "authenticated":
      return <AppLayout principal={state.principal} focusOnMount={wasAnonymous.current} />;
  }
}
