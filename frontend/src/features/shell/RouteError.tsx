import { Alert, Button, Center, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useRouteError } from "react-router";
import { IconAlert } from "../../components/icons.js";

/**
 * RouteError replaces a screen that failed to render, instead of leaving a
 * blank page. The details go to the console for developers only.
 */
export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  console.error(error);
  return (
    <Center mih="60vh" p="md">
      <Stack maw={520}>
        <Alert color="red" variant="light" icon={<IconAlert />} title={t("errors.title")} role="alert">
          <Text size="sm">{t("errors.internal")}</Text>
        </Alert>
        <Group>
          <Button onClick={() => window.location.reload()}>{t("app.reload")}</Button>
          <Button component="a" href="/" variant="default">
            {t("common.toStart")}
          </Button>
        </Group>
      </Stack>
    </Center>
  );
}
