import { Code as ConnectCode } from "@connectrpc/connect";
import { Alert, Anchor, Center, Loader, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { IconAlert } from "../../components/icons.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { PublicPage } from "./PublicPage.js";

/** LoginNotice is the message the login page shows after a password was set. */
export type LoginNotice = "registered" | "passwordReset";

/** The router state that carries a LoginNotice to the login page. */
export type LoginNoticeState = { notice?: LoginNotice };

/**
 * LinkState renders the frame of a page that redeems a link: loading, the
 * one answer for an invalid link (unknown, expired, used or tampered — the
 * server does not say which), another error, or the page's content.
 */
export function LinkState({
  title,
  token,
  isPending,
  error,
  invalidHint,
  children,
}: {
  title: string;
  token: string;
  isPending: boolean;
  error: unknown;
  invalidHint: ReactNode;
  children: () => ReactNode;
}) {
  const { t } = useTranslation();
  if (token === "" || (error && isCode(error, ConnectCode.NotFound))) {
    return (
      <PublicPage title={title}>
        <Stack gap="md">
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert" data-testid="link-invalid">
            {t("password.link.invalid")}
          </Alert>
          <Text size="sm">{invalidHint}</Text>
          <Anchor component={Link} to="/" size="sm">
            {t("password.toLogin")}
          </Anchor>
        </Stack>
      </PublicPage>
    );
  }
  if (error) {
    return (
      <PublicPage title={title}>
        <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
          {errorMessage(error, t)}
        </Alert>
      </PublicPage>
    );
  }
  if (isPending) {
    return (
      <PublicPage title={title}>
        <Center py="lg" role="status">
          <Loader size="md" aria-label={t("app.loading")} />
        </Center>
      </PublicPage>
    );
  }
  return <>{children()}</>;
}
