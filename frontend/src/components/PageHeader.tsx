import { Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { IconChevronLeft } from "./icons.js";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * PageHeader is the h1 of a screen and sets the document title. AppLayout
 * moves focus to it after a navigation (see focusPageHeading).
 */
export function PageHeader({
  title,
  intro,
  actions,
  back,
}: {
  title: string;
  intro?: ReactNode;
  actions?: ReactNode;
  /** A link to the list the page belongs to. */
  back?: { to: string; label: string };
}) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title, t]);
  return (
    <Group justify="space-between" align="flex-start" mb="lg" gap="md">
      <Stack gap={6} maw={720}>
        {back && (
          <Anchor component={Link} to={back.to} size="sm" className="back-link">
            <IconChevronLeft size={14} />
            {back.label}
          </Anchor>
        )}
        <Title order={1} fz="h2" tabIndex={-1} className="page-title">
          {title}
        </Title>
        {intro && (
          <Text c="dimmed" size="sm">
            {intro}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}

/**
 * focusPageHeading moves focus to the new page's h1 (or the main region while
 * the page is still loading), so keyboard and screen-reader users continue
 * at the new content instead of the top of the document.
 */
export function focusPageHeading(): void {
  const heading = document.querySelector<HTMLElement>("#main h1");
  const target = heading ?? document.getElementById("main");
  target?.focus({ preventScroll: true });
}
