import { Checkbox, Grid, Select } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { CertificateKind, type Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { DateField } from "../../employees/DateField.js";
import { exitReasonChoices } from "../../employees/options.js";
import { interimReasonChoices } from "../options.js";
import { checkboxProps, inputProps } from "./fields.js";
import { certificateDataProto, certificateDataValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = () => ["entryDate", "exitDate", "issueDate", "exitReason", "interimReason", "discloseReason"];

/**
 * CertificateDataSectionForm edits Zeugnisdaten: the dates and the reason.
 * An interim certificate has an issue date and an occasion; the other kinds
 * an exit date and an exit reason (and carry the exit date as their date,
 * so they ask for no issue date).
 */
export function CertificateDataSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const interim = certificate.kind === CertificateKind.INTERIM;
  const { form, frame } = useSectionForm({
    certificate,
    sectionKey: "certificateData",
    values: certificateDataValues,
    proto: (v) => certificateDataProto(v, certificate.kind),
    fieldOrder: order,
  });
  return (
    <SectionFrame frame={frame}>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <DateField label={t("certificates.fields.entryDate")} {...inputProps(form, "entryDate")} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          {interim ? (
            <DateField label={t("certificates.fields.issueDate")} description={t("certificates.fields.issueDateHint")} {...inputProps(form, "issueDate")} />
          ) : (
            <DateField label={t("certificates.fields.exitDate")} {...inputProps(form, "exitDate")} />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          {interim ? (
            <Select label={t("certificates.fields.interimReason")} data={interimReasonChoices(t)} allowDeselect={false} {...inputProps(form, "interimReason")} />
          ) : (
            <Select label={t("certificates.fields.exitReason")} data={exitReasonChoices(t)} allowDeselect={false} {...inputProps(form, "exitReason")} />
          )}
        </Grid.Col>
        <Grid.Col span={12}>
          <Checkbox
            label={t("certificates.fields.discloseReason")}
            description={t("certificates.fields.discloseReasonHint")}
            {...checkboxProps(form, "discloseReason")}
          />
        </Grid.Col>
      </Grid>
    </SectionFrame>
  );
}
