import { Grid, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { inputProps, ListEditor } from "./fields.js";
import { emptyTraining, trainingsProto, trainingsValues, type TrainingsValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = (v: TrainingsValues) => v.trainings.flatMap((_, i) => ["title", "provider", "year"].map((f) => `trainings.${i}.${f}`));

/** TrainingsSectionForm edits Weiterbildungen: courses and certificates, with provider and year. */
export function TrainingsSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const { form, frame } = useSectionForm({ certificate, sectionKey: "trainings", values: trainingsValues, proto: trainingsProto, fieldOrder: order });
  return (
    <SectionFrame frame={frame}>
      <ListEditor
        form={form}
        path="trainings"
        rowLabel={(n) => t("certificates.fields.training", { n })}
        empty={emptyTraining}
        addLabel={t("certificates.fields.addTraining")}
        emptyText={t("certificates.fields.noTrainings")}
        max={30}
        row={(i) => (
          <Grid gap="sm">
            <Grid.Col span={12}>
              <TextInput
                label={t("certificates.fields.trainingTitle")}
                placeholder={t("certificates.fields.trainingTitlePlaceholder")}
                required
                maxLength={200}
                {...inputProps(form, `trainings.${i}.title`)}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, xs: 8 }}>
              <TextInput label={t("certificates.fields.provider")} maxLength={200} {...inputProps(form, `trainings.${i}.provider`)} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, xs: 4 }}>
              <TextInput label={t("certificates.fields.year")} inputMode="numeric" maxLength={4} {...inputProps(form, `trainings.${i}.year`)} />
            </Grid.Col>
          </Grid>
        )}
      />
    </SectionFrame>
  );
}
