import { Grid, Select, Textarea, TextInput } from "@mantine/core";
import { useContext } from "react";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { useOrgChoices } from "../../employees/org-choices.js";
import { inputProps } from "./fields.js";
import { companyProto, companyValues } from "./mapping.js";
import { EditorContext, SectionFrame, useSectionForm } from "./SectionForm.js";

const order = () => ["companyId", "description", "industry", "city", "headCount"];

/** CompanySectionForm edits Unternehmen: the company (its letterhead) and how the text describes it. */
export function CompanySectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  // A handover recipient reads the company section but may not browse the
  // tenant's companies: the letterhead's company is HR's choice, not shown.
  const { recipient = false } = useContext(EditorContext);
  const org = useOrgChoices(!recipient);
  const { form, frame } = useSectionForm({ certificate, sectionKey: "company", values: companyValues, proto: companyProto, fieldOrder: order });
  return (
    <SectionFrame frame={frame}>
      <Grid gap="md">
        <Grid.Col span={12} display={recipient ? "none" : undefined}>
          <Select
            label={t("certificates.fields.company")}
            description={t("certificates.fields.companyHint")}
            data={org.companies}
            searchable
            clearable
            nothingFoundMessage={t("table.none")}
            {...inputProps(form, "companyId")}
            value={form.values.companyId || null}
            onChange={(v) => form.setFieldValue("companyId", v ?? "")}
          />
        </Grid.Col>
        <Grid.Col span={12}>
          <Textarea
            label={t("certificates.fields.companyDescription")}
            description={t("certificates.fields.companyDescriptionHint")}
            autosize
            minRows={2}
            maxRows={6}
            maxLength={1000}
            {...inputProps(form, "description")}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput label={t("certificates.fields.industry")} placeholder={t("certificates.fields.industryPlaceholder")} maxLength={200} {...inputProps(form, "industry")} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput label={t("certificates.fields.city")} description={t("certificates.fields.cityHint")} maxLength={100} {...inputProps(form, "city")} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput
            label={t("certificates.fields.headCount")}
            description={t("certificates.fields.headCountHint")}
            inputMode="numeric"
            maxLength={8}
            {...inputProps(form, "headCount")}
          />
        </Grid.Col>
      </Grid>
    </SectionFrame>
  );
}
