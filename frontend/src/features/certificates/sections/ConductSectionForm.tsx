import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { conductProto, conductValues } from "./mapping.js";
import { RatingControl } from "./RatingControl.js";
import { conductCategories, ratingRules } from "./ratings.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = () => [...conductCategories];

/** ConductSectionForm edits Bewertung Verhalten: towards superiors and colleagues, and towards customers and partners. */
export function ConductSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const rules = ratingRules(certificate.kind, certificate.content?.further?.leader ?? false);
  const { form, frame } = useSectionForm({
    certificate,
    sectionKey: "conduct",
    values: conductValues,
    proto: (v) => conductProto(v, rules),
    fieldOrder: order,
  });
  return (
    <SectionFrame frame={frame}>
      <Stack gap="lg">
        {conductCategories.map((c) => (
          <RatingControl
            key={c}
            label={t(`certificates.ratings.categories.${c}`)}
            hintKey={`certificates.ratings.hints.${c}`}
            value={form.values[c]}
            error={form.errors[c] as string | undefined}
            onChange={(v) => form.setFieldValue(c, v)}
          />
        ))}
      </Stack>
    </SectionFrame>
  );
}
