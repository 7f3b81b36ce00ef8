import { Checkbox, Grid, Select, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { DateField } from "../../employees/DateField.js";
import { salutationChoices } from "../../employees/options.js";
import { checkboxProps, inputProps } from "./fields.js";
import { personalProto, personalValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = () => ["salutation", "title", "firstName", "lastName", "birthDate", "birthplace", "printBirth"];

/** PersonalSectionForm edits Persönliche Daten: taken from the employee at creation, overridable here. */
export function PersonalSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const { form, frame } = useSectionForm({ certificate, sectionKey: "personal", values: personalValues, proto: personalProto, fieldOrder: order });
  return (
    <SectionFrame frame={frame}>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={t("employees.fields.salutation")}
            description={t("certificates.fields.salutationHint")}
            data={salutationChoices(t)}
            allowDeselect={false}
            {...inputProps(form, "salutation")}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t("employees.fields.title")} placeholder="Dr." maxLength={50} {...inputProps(form, "title")} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t("employees.fields.firstName")} required maxLength={100} autoComplete="off" {...inputProps(form, "firstName")} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t("employees.fields.lastName")} required maxLength={100} autoComplete="off" {...inputProps(form, "lastName")} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <DateField label={t("employees.fields.birthDate")} {...inputProps(form, "birthDate")} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t("employees.fields.birthplace")} maxLength={100} {...inputProps(form, "birthplace")} />
        </Grid.Col>
        <Grid.Col span={12}>
          <Checkbox
            label={t("certificates.fields.printBirth")}
            description={t("certificates.fields.printBirthHint")}
            {...checkboxProps(form, "printBirth")}
          />
        </Grid.Col>
      </Grid>
    </SectionFrame>
  );
}
