import { Checkbox, Paper, SimpleGrid, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { areaInfos, toggleArea } from "./areas.js";

/**
 * AreaMatrix shows the 15 areas as checkboxes, each with its German name
 * and a one-line explanation. With Administrator set, every other area is
 * shown as granted and locked (Administrator includes them).
 */
export function AreaMatrix({
  value,
  onChange,
  readOnly = false,
  error,
}: {
  value: readonly Area[];
  onChange: (areas: Area[]) => void;
  readOnly?: boolean;
  error?: string;
}) {
  const { t } = useTranslation();
  const admin = value.includes(Area.ADMINISTRATOR);
  return (
    <Stack gap="xs" role="group" aria-label={t("roles.fields.areas")}>
      <Text size="sm" fw={500}>
        {t("roles.fields.areas")}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing="xs">
        {areaInfos.map(({ area, key }) => {
          const implied = admin && area !== Area.ADMINISTRATOR;
          return (
            <Paper key={key} withBorder p="xs" radius="sm">
              <Checkbox
                id={`area-${key}`}
                label={t(`roles.areas.${key}.name`)}
                description={t(`roles.areas.${key}.hint`)}
                checked={value.includes(area) || implied}
                disabled={readOnly || implied}
                onChange={(e) => onChange(toggleArea(value, area, e.currentTarget.checked))}
              />
            </Paper>
          );
        })}
      </SimpleGrid>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
