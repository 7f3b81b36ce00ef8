import { Grid, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { DateField } from "../../employees/DateField.js";
import { inputProps, ListEditor } from "./fields.js";
import { emptyStation, stationsProto, stationsValues, type StationsValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = (v: StationsValues) => v.stations.flatMap((_, i) => ["department", "fromDate", "toDate"].map((f) => `stations.${i}.${f}`));

/** StationsSectionForm edits Stationen: the departments a trainee or apprentice passed through. */
export function StationsSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const { form, frame } = useSectionForm({ certificate, sectionKey: "stations", values: stationsValues, proto: stationsProto, fieldOrder: order });
  return (
    <SectionFrame frame={frame}>
      <ListEditor
        form={form}
        path="stations"
        rowLabel={(n) => t("certificates.fields.station", { n })}
        empty={emptyStation}
        addLabel={t("certificates.fields.addStation")}
        emptyText={t("certificates.fields.noStations")}
        max={30}
        row={(i) => (
          <Grid gap="sm">
            <Grid.Col span={12}>
              <TextInput label={t("certificates.fields.department")} required maxLength={200} {...inputProps(form, `stations.${i}.department`)} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, xs: 6 }}>
              <DateField label={t("certificates.fields.fromDate")} required {...inputProps(form, `stations.${i}.fromDate`)} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, xs: 6 }}>
              <DateField label={t("certificates.fields.toDate")} {...inputProps(form, `stations.${i}.toDate`)} />
            </Grid.Col>
          </Grid>
        )}
      />
    </SectionFrame>
  );
}
