import { Grid, Select, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useCertificateCatalog } from "../../../api/certificates.js";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { kindChoices } from "../options.js";
import { SegmentedField } from "../SegmentedField.js";
import { inputProps } from "./fields.js";
import { dataProto, dataValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = () => ["kind", "language", "jobProfileId", "jobTitle"];

/** DataSectionForm edits Daten: kind, language, job profile and the job title as printed. */
export function DataSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const { form, frame } = useSectionForm({ certificate, sectionKey: "data", values: dataValues, proto: dataProto, fieldOrder: order });
  const catalog = useCertificateCatalog(form.values.language);
  const profiles = (catalog.data?.jobProfiles ?? []).map((p) => ({ value: p.id, label: p.title }));
  return (
    <SectionFrame frame={frame}>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select label={t("certificates.fields.kind")} data={kindChoices(t)} allowDeselect={false} {...inputProps(form, "kind")} />
          <Text size="xs" c="dimmed" mt={4}>
            {t("certificates.fields.kindHint")}
          </Text>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <SegmentedField
            label={t("certificates.fields.language")}
            data={[
              { value: "de", label: t("certificates.languages.de") },
              { value: "en", label: t("certificates.languages.en") },
            ]}
            {...inputProps(form, "language")}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={t("certificates.fields.jobProfile")}
            description={t("certificates.fields.jobProfileHint")}
            placeholder={t("certificates.fields.noJobProfile")}
            data={profiles}
            searchable
            clearable
            nothingFoundMessage={t("table.none")}
            {...inputProps(form, "jobProfileId")}
            value={form.values.jobProfileId || null}
            onChange={(v) => form.setFieldValue("jobProfileId", v ?? "")}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput
            label={t("certificates.fields.jobTitle")}
            description={t("certificates.fields.jobTitleHint")}
            maxLength={200}
            {...inputProps(form, "jobTitle")}
          />
        </Grid.Col>
      </Grid>
    </SectionFrame>
  );
}
