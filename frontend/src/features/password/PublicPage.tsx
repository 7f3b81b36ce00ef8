import { Box, Center, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BrandMark } from "../../components/icons.js";
import { LanguageSwitch } from "../shell/LanguageSwitch.js";

/** PublicPage is the frame of the pages reachable without a session (like the login page). */
export function PublicPage({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title, t]);
  return (
    <Box className="login-background">
      <Group justify="flex-end" p="md">
        <LanguageSwitch />
      </Group>
      <Center px="md" pb="xl" className="login-center">
        <Stack w="100%" maw={460} gap="lg">
          <Group gap="sm" justify="center">
            <BrandMark size={40} />
            <Text fz={28} fw={700} c="zeugo.8">
              {t("app.name")}
            </Text>
          </Group>
          <Paper withBorder shadow="sm" radius="lg" p="xl" component="main">
            <Title order={1} fz="h2" mb={4}>
              {title}
            </Title>
            {subtitle && (
              <Text c="dimmed" size="sm" mb="lg">
                {subtitle}
              </Text>
            )}
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
