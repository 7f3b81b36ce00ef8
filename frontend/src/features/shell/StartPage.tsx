import { Anchor, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { canEditStructure, displayName } from "../../lib/access.js";
import { usePrincipal } from "../../lib/session-context.js";
import { unitKinds, unitKindSlugs } from "../organization/unit-kinds.js";
import { IconBuilding, IconChevronRight } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";

/** StartPage greets the user and leads to the areas their role grants. */
export function StartPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  return (
    <>
      <PageHeader
        title={t("start.greeting", { name: principal.firstName || displayName(principal) })}
        intro={t(canEditStructure(principal) ? "start.intro" : "start.introReadOnly", { tenant: principal.tenantName })}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
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
                <StartLink to="/organisation/companies" label={t("nav.companies")} />
                {unitKindSlugs.map((slug) => (
                  <StartLink key={slug} to={`/organisation/${slug}`} label={t(`nav.${unitKinds[slug].navKey}`)} />
                ))}
              </Stack>
            </Stack>
          </Group>
        </Card>
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
