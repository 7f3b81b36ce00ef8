import { MultiSelect, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useCertificateCatalog } from "../../../api/certificates.js";
import type { Certificate, CatalogAttribute } from "../../../gen/zeugo/v1/certificates_pb.js";
import { inputProps } from "./fields.js";
import { qualificationsProto, qualificationsValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = () => ["personalAttributeIds", "professionalAttributeIds"];

const choices = (list: CatalogAttribute[] | undefined) => (list ?? []).map((a) => ({ value: a.id, label: a.text }));

/** QualificationsSectionForm edits Qualifikationen: personal and professional attributes of the catalogue. */
export function QualificationsSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const catalog = useCertificateCatalog(certificate.language);
  const { form, frame } = useSectionForm({
    certificate,
    sectionKey: "qualifications",
    values: qualificationsValues,
    proto: qualificationsProto,
    fieldOrder: order,
  });
  const select = (path: "personalAttributeIds" | "professionalAttributeIds", data: { value: string; label: string }[]) => (
    <MultiSelect
      label={t(`certificates.fields.${path}`)}
      description={t("certificates.fields.attributesHint")}
      data={data}
      searchable
      clearable
      hidePickedOptions
      maxValues={10}
      placeholder={form.values[path].length === 0 ? t("certificates.fields.attributesPlaceholder") : undefined}
      nothingFoundMessage={t("table.none")}
      {...inputProps(form, path)}
    />
  );
  return (
    <SectionFrame frame={frame}>
      <Stack gap="md">
        {select("personalAttributeIds", choices(catalog.data?.personalAttributes))}
        {select("professionalAttributeIds", choices(catalog.data?.professionalAttributes))}
      </Stack>
    </SectionFrame>
  );
}
