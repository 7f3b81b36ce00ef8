import { Checkbox, Grid, Switch, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { CertificateKind, type Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { checkboxProps, inputProps } from "./fields.js";
import { furtherProto, furtherValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = () => ["leader", "teamSize", "externalParties", "examChamber", "takenOn"];

/** FurtherSectionForm edits Weitere Angaben: leadership (it enables the Führungserfolg rating), contacts, the apprenticeship's chamber. */
export function FurtherSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const apprentice = certificate.kind === CertificateKind.APPRENTICESHIP;
  const { form, frame } = useSectionForm({
    certificate,
    sectionKey: "further",
    values: furtherValues,
    proto: (v) => furtherProto(v, certificate.kind),
    fieldOrder: order,
  });
  return (
    <SectionFrame frame={frame}>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Switch label={t("certificates.fields.leader")} description={t("certificates.fields.leaderHint")} {...checkboxProps(form, "leader")} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput
            label={t("certificates.fields.teamSize")}
            description={t("certificates.fields.teamSizeHint")}
            inputMode="numeric"
            maxLength={6}
            disabled={!form.values.leader}
            {...inputProps(form, "teamSize")}
          />
        </Grid.Col>
        <Grid.Col span={12}>
          <TextInput
            label={t("certificates.fields.externalParties")}
            placeholder={t("certificates.fields.externalPartiesPlaceholder")}
            description={t("certificates.fields.externalPartiesHint")}
            maxLength={200}
            {...inputProps(form, "externalParties")}
          />
        </Grid.Col>
        {apprentice && (
          <>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput
                label={t("certificates.fields.examChamber")}
                placeholder={t("certificates.fields.examChamberPlaceholder")}
                maxLength={200}
                {...inputProps(form, "examChamber")}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }} pt={{ sm: 34 }}>
              <Checkbox label={t("certificates.fields.takenOn")} {...checkboxProps(form, "takenOn")} />
            </Grid.Col>
          </>
        )}
      </Grid>
    </SectionFrame>
  );
}
