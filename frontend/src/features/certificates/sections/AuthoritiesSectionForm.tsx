import { Grid, Select, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { AuthorityKind } from "../../../gen/zeugo/v1/employees_pb.js";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { DateField } from "../../employees/DateField.js";
import { authorityKindChoices } from "../../employees/options.js";
import { inputProps, ListEditor } from "./fields.js";
import { authoritiesProto, authoritiesValues, emptyAuthority, type AuthoritiesValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = (v: AuthoritiesValues) => v.authorities.flatMap((_, i) => ["kind", "name", "sinceDate"].map((f) => `authorities.${i}.${f}`));

/** AuthoritiesSectionForm edits Vollmachten: Prokura, Handlungsvollmacht and others, with the date granted. */
export function AuthoritiesSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const { form, frame } = useSectionForm({
    certificate,
    sectionKey: "authorities",
    values: authoritiesValues,
    proto: authoritiesProto,
    fieldOrder: order,
  });
  return (
    <SectionFrame frame={frame}>
      <ListEditor
        form={form}
        path="authorities"
        rowLabel={(n) => t("certificates.fields.authority", { n })}
        empty={emptyAuthority}
        addLabel={t("certificates.fields.addAuthority")}
        emptyText={t("certificates.fields.noAuthorities")}
        max={10}
        row={(i) => {
          const other = form.values.authorities[i]?.kind === String(AuthorityKind.OTHER);
          return (
            <Grid gap="sm">
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <Select label={t("employees.fields.kind")} data={authorityKindChoices(t)} allowDeselect={false} {...inputProps(form, `authorities.${i}.kind`)} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput
                  label={t("employees.fields.authorityName")}
                  maxLength={100}
                  disabled={!other}
                  required={other}
                  {...inputProps(form, `authorities.${i}.name`)}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <DateField label={t("employees.fields.sinceDate")} {...inputProps(form, `authorities.${i}.sinceDate`)} />
              </Grid.Col>
            </Grid>
          );
        }}
      />
    </SectionFrame>
  );
}
