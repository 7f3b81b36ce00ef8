// What the generator needs or warns about, grouped by the editor tab where
// it is fixed.
import { Alert, List, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { CertificateSection, GenerationProblem } from "../../../gen/zeugo/v1/certificates_pb.js";
import { IconAlert } from "../../../components/icons.js";
import { sectionName } from "./labels.js";

/** groupBySection keeps the problems in order, one group per section. */
export function groupBySection(problems: readonly GenerationProblem[]): [CertificateSection, GenerationProblem[]][] {
  const groups = new Map<CertificateSection, GenerationProblem[]>();
  for (const p of problems) {
    const list = groups.get(p.section) ?? [];
    list.push(p);
    groups.set(p.section, list);
  }
  return [...groups.entries()];
}

/**
 * GenerationProblems lists the problems: blocking ones in red (nothing was
 * stored), warnings in yellow above the stored text.
 */
export function GenerationProblems({ problems, warnings }: { problems: readonly GenerationProblem[]; warnings: boolean }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <Alert
      color={warnings ? "yellow" : "red"}
      variant="light"
      icon={<IconAlert />}
      role={warnings ? "status" : "alert"}
      title={warnings ? t("certificateText.text.warningsTitle") : t("certificateText.text.problemsTitle")}
    >
      <Stack gap="xs">
        {!warnings && <Text size="sm">{t("certificateText.text.problemsIntro")}</Text>}
        {groupBySection(problems).map(([section, list]) => (
          <div key={section}>
            <Text size="sm" fw={600}>
              {t("certificateText.text.openTab", { section: sectionName(t, section) })}
            </Text>
            <List size="sm">
              {list.map((p, i) => (
                <List.Item key={i}>
                  <span title={p.messageEn}>{p.messageDe}</span>
                  <Text span size="xs" c="dimmed" lang="en">
                    {" "}
                    ({p.messageEn})
                  </Text>
                </List.Item>
              ))}
            </List>
          </div>
        ))}
      </Stack>
    </Alert>
  );
}
