import { SegmentedControl, VisuallyHidden } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { isLanguage } from "../../i18n/index.js";

/** LanguageSwitch toggles German and English; the choice is remembered. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : "de";
  return (
    <SegmentedControl
      size="xs"
      aria-label={t("app.language")}
      value={current}
      onChange={(value) => void i18n.changeLanguage(value)}
      data={[
        { value: "de", label: <Label short="DE" long={t("app.languageGerman")} /> },
        { value: "en", label: <Label short="EN" long={t("app.languageEnglish")} /> },
      ]}
    />
  );
}

function Label({ short, long }: { short: string; long: string }) {
  return (
    <>
      <span aria-hidden="true">{short}</span>
      <VisuallyHidden>{long}</VisuallyHidden>
    </>
  );
}
