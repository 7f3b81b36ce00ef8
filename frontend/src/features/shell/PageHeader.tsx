import { Group, Stack, Text, Title } from "@mantine/core";
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * PageHeader is the h1 of a screen. It sets the document title and moves
 * focus to the heading when the page opens, so screen-reader and keyboard
 * users start reading at the new content after a navigation.
 */
export function PageHeader({ title, intro, actions }: { title: string; intro?: ReactNode; actions?: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title, t]);
  useEffect(() => {
    // Only move focus when it is not already inside the page (e.g. a modal).
    if (document.activeElement === document.body || document.activeElement?.closest("nav")) {
      ref.current?.focus({ preventScroll: true });
    }
  }, []);
  return (
    <Group justify="space-between" align="flex-start" mb="lg" gap="md">
      <Stack gap={6} maw={720}>
        <Title order={1} fz="h2" ref={ref} tabIndex={-1} className="page-title">
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
