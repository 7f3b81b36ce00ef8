import { Alert, Divider, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { SegmentedField } from "../SegmentedField.js";
import { performanceProto, performanceValues, type PerformanceValues } from "./mapping.js";
import { RatingControl } from "./RatingControl.js";
import { categoryAllowed, derivedOverall, performanceCategories, ratingRules } from "./ratings.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = () => [...performanceCategories, "overall"];

/**
 * PerformanceSectionForm edits Bewertung Leistung: a grade per category.
 * Führungserfolg is offered only when Weitere Angaben marks the employee a
 * leader, the final examination only in an apprenticeship certificate; the
 * overall grade follows the single grades unless it is set explicitly.
 */
export function PerformanceSectionForm({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const rules = ratingRules(certificate.kind, certificate.content?.further?.leader ?? false);
  const { form, frame } = useSectionForm({
    certificate,
    sectionKey: "performance",
    values: performanceValues,
    proto: (v) => performanceProto(v, rules),
    fieldOrder: order,
  });
  const derived = derivedOverall(form.values, rules);
  const explicit = form.values.overall !== "0";
  const rating = (c: keyof PerformanceValues) => {
    const allowed = categoryAllowed(rules, c);
    let note: string | undefined;
    if (!allowed && c === "leadership") note = t("certificates.ratings.leaderOnly");
    return (
      <RatingControl
        key={c}
        label={t(`certificates.ratings.categories.${c}`)}
        hintKey={`certificates.ratings.hints.${c}`}
        value={allowed ? form.values[c] : "0"}
        disabled={!allowed}
        note={note}
        error={form.errors[c] as string | undefined}
        onChange={(v) => form.setFieldValue(c, v)}
      />
    );
  };
  return (
    <SectionFrame frame={frame}>
      <Stack gap="lg">
        {performanceCategories.filter((c) => c !== "exam" || rules.exam).map(rating)}
        <Divider />
        <Stack gap={4}>
          <SegmentedField
            label={t("certificates.ratings.overall")}
            value={explicit ? "explicit" : "derived"}
            onChange={(v) => form.setFieldValue("overall", v === "explicit" ? String(derived || 2) : "0")}
            data={[
              { value: "derived", label: t("certificates.ratings.overallDerived") },
              { value: "explicit", label: t("certificates.ratings.overallExplicit") },
            ]}
          />
          {!explicit && (
            <Text size="sm" c="dimmed">
              {derived
                ? t("certificates.ratings.derivedIs", { grade: derived, name: t(`certificates.ratings.grades.${derived}`) })
                : t("certificates.ratings.derivedNone")}
            </Text>
          )}
        </Stack>
        {explicit && rating("overall")}
        {explicit && derived !== 0 && Number(form.values.overall) !== derived && (
          <Alert color="yellow" variant="light">
            {t("certificates.ratings.overallDiffers", { grade: derived })}
          </Alert>
        )}
      </Stack>
    </SectionFrame>
  );
}
