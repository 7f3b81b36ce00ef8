import { Grid, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { DateField } from "../../employees/DateField.js";
import { inputProps, ListEditor } from "./fields.js";
import { careerProto, careerValues, emptyPosition, type CareerValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = (v: CareerValues) => v.positions.flatMap((_, i) => ["title", "department", "fromDate", "toDate"].map((f) => `positions.${i}.${f}`));

/** CareerSectionForm edits Werdegang: the positions held, in order. */
export function CareerSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const { form, frame } = useSectionForm({ certificate, sectionKey: "career", values: careerValues, proto: careerProto, fieldOrder: order });
  return (
    <SectionFrame frame={frame}>
      <ListEditor
        form={form}
        path="positions"
        rowLabel={(n) => t("certificates.fields.position", { n })}
        empty={emptyPosition}
        addLabel={t("certificates.fields.addPosition")}
        emptyText={t("certificates.fields.noPositions")}
        max={30}
        row={(i) => (
          <Grid gap="sm">
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput label={t("certificates.fields.positionTitle")} required maxLength={200} {...inputProps(form, `positions.${i}.title`)} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput label={t("certificates.fields.department")} maxLength={200} {...inputProps(form, `positions.${i}.department`)} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, xs: 6 }}>
              <DateField label={t("certificates.fields.fromDate")} required {...inputProps(form, `positions.${i}.fromDate`)} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, xs: 6 }}>
              <DateField label={t("certificates.fields.toDate")} description={t("certificates.fields.toDateHint")} {...inputProps(form, `positions.${i}.toDate`)} />
            </Grid.Col>
          </Grid>
        )}
      />
    </SectionFrame>
  );
}
