import { Anchor, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { canEditStructure, displayName } from "../../lib/access.js";
import { usePrincipal } from "../../lib/session-context.js";
import { IconBuilding, IconChevronRight } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { canEditEmployees } from "../employees/access.js";
import { IconUserCard } from "../employees/icons.js";
import { visibleNavigation } from "./navigation.js";

/** StartPage greets the user and leads to the areas their role grants (from the navigation table). */
export function StartPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const visible = visibleNavigation(principal);
  const structure = visible.find((s) => s.id === "structure");
  const people = visible.find((s) => s.id === "people");
  const intro = canEditStructure(principal) ? "start.intro" : structure ? "start.introReadOnly" : "start.introPlain";
  return (
    <>
      <PageHeader
        title={t("start.greeting", { name: principal.firstName || displayName(principal) })}
        intro={t(intro, { tenant: principal.tenantName })}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        {people && (
          <Card withBorder radius="lg" padding="lg">
            <Group gap="md" align="flex-start" wrap="nowrap">
              <ThemeIcon size={44} radius="md" variant="light">
                <IconUserCard size={24} />
              </ThemeIcon>
              <Stack gap={6}>
                <Title order={2} fz="h4">
                  {t("start.employeesTitle")}
                </Title>
                <Text size="sm" c="dimmed">
                  {t("start.employeesText")}
                </Text>
                <Stack gap={4} mt="xs">
                  <StartLink to="/employees" label={t("start.employeesList")} />
                  {canEditEmployees(principal) && <StartLink to="/employees/new" label={t("employees.create")} />}
                  {canEditEmployees(principal) && <StartLink to="/employees/import" label={t("start.employeesImport")} />}
                </Stack>
              </Stack>
            </Group>
          </Card>
        )}
        {structure && (
          <Card withBorder radius="lg" padding="lg">
            <Group gap="md" align="flex-start" wrap="nowrap">
              <ThemeIcon size={44} radius="md" variant="light">
                <IconBuilding size={24} />
              </ThemeIcon>
              <Stack gap={6}>
                <Title order={2} fz="h4">
                  {t("start.structureTitle")}
                </Title>
                <Text size="sm" c="dimmed">
                  {t("start.structureText")}
                </Text>
                <Stack gap={4} mt="xs">
                  {structure.entries.map((e) => (
                    <StartLink key={e.path} to={e.path} label={t(e.labelKey)} />
                  ))}
                </Stack>
              </Stack>
            </Group>
          </Card>
        )}
      </SimpleGrid>
    </>
  );
}

function StartLink({ to, label }: { to: string; label: string }) {
  return (
    <Anchor component={Link} to={to} size="sm" fw={500}>
      <Group gap={4} wrap="nowrap">
        <IconChevronRight size={14} />
        {label}
      </Group>
    </Anchor>
  );
}
