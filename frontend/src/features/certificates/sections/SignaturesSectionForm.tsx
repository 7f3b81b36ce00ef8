import { Grid, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { EmployeePicker } from "../EmployeePicker.js";
import { inputProps, ListEditor } from "./fields.js";
import { emptySignatory, signaturesProto, signaturesValues, type SignaturesValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = (v: SignaturesValues) => v.signatories.flatMap((_, i) => [`signatories.${i}.employeeId`, `signatories.${i}.function`]);

/** SignaturesSectionForm edits Unterschriften: one or two signatories chosen from the employees, with their function. */
export function SignaturesSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const { form, frame } = useSectionForm({
    certificate,
    sectionKey: "signatures",
    values: signaturesValues,
    proto: signaturesProto,
    fieldOrder: order,
  });
  return (
    <SectionFrame frame={frame}>
      <ListEditor
        form={form}
        path="signatories"
        rowLabel={(n) => t("certificates.fields.signatory", { n })}
        empty={emptySignatory}
        addLabel={t("certificates.fields.addSignatory")}
        emptyText={t("certificates.fields.noSignatories")}
        max={2}
        row={(i) => {
          const s = form.values.signatories[i];
          const props = inputProps(form, `signatories.${i}.employeeId`);
          return (
            <Grid gap="sm">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <EmployeePicker
                  id={props.id}
                  label={t("certificates.fields.signatoryEmployee")}
                  required
                  error={props.error}
                  value={s?.employeeId ? { id: s.employeeId, label: s.name || s.employeeId } : undefined}
                  onChange={(picked) => {
                    form.setFieldValue(`signatories.${i}.employeeId`, picked?.id ?? "");
                    form.setFieldValue(`signatories.${i}.name`, picked?.label ?? "");
                  }}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  label={t("certificates.fields.signatoryFunction")}
                  placeholder={t("certificates.fields.signatoryFunctionPlaceholder")}
                  maxLength={100}
                  {...inputProps(form, `signatories.${i}.function`)}
                />
              </Grid.Col>
            </Grid>
          );
        }}
      />
    </SectionFrame>
  );
}
