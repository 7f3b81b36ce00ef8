import { Checkbox, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useCertificateCatalog } from "../../../api/certificates.js";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { inputProps, TextRows } from "./fields.js";
import { tasksProto, tasksValues, type TasksValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = (v: TasksValues) => ["profileTaskIds", ...v.tasks.map((_, i) => `tasks.${i}`)];

/**
 * TasksSectionForm edits Tätigkeiten: the task templates of the job
 * profile (Daten) to tick, and tasks in the employer's own words.
 */
export function TasksSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const catalog = useCertificateCatalog(certificate.language);
  const profileId = certificate.content?.data?.jobProfileId ?? "";
  const profile = catalog.data?.jobProfiles.find((p) => p.id === profileId);
  const templateOrder = profile?.tasks.map((x) => x.id) ?? [];
  const { form, frame } = useSectionForm({
    certificate,
    sectionKey: "tasks",
    values: tasksValues,
    proto: (v) => tasksProto(v, templateOrder),
    fieldOrder: order,
  });
  return (
    <SectionFrame frame={frame}>
      <Stack gap="lg">
        <Stack gap="xs">
          <Title order={3} fz="h5">
            {profile ? t("certificates.fields.profileTasks", { profile: profile.title }) : t("certificates.fields.profileTasksNone")}
          </Title>
          {profile ? (
            <Checkbox.Group {...inputProps(form, "profileTaskIds")} aria-label={t("certificates.fields.profileTasks", { profile: profile.title })}>
              <Stack gap={6}>
                {profile.tasks.map((task) => (
                  <Checkbox key={task.id} value={task.id} label={task.text} />
                ))}
              </Stack>
            </Checkbox.Group>
          ) : (
            <Text size="sm" c="dimmed">
              {t("certificates.fields.profileTasksHint")}
            </Text>
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={3} fz="h5">
            {t("certificates.fields.ownTasks")}
          </Title>
          <TextRows
            form={form}
            path="tasks"
            rowLabel={(n) => t("certificates.fields.task", { n })}
            addLabel={t("certificates.fields.addTask")}
            emptyText={t("certificates.fields.noTasks")}
          />
        </Stack>
      </Stack>
    </SectionFrame>
  );
}
