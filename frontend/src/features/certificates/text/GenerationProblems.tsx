// What the generator needs or warns about, grouped by the editor tab where
// it is fixed.
import { Alert, Anchor, List, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { CertificateSection, GenerationProblem } from "../../../gen/zeugo/v1/certificates_pb.js";
import { IconAlert } from "../../../components/icons.js";
import { inputSections } from "../sections/mapping.js";
import { sectionName } from "./labels.js";

/** tabLink is the editor's address of the tab where a section is filled (the editor keeps its tab in ?tab=). */
function tabLink(section: CertificateSection): string | undefined {
  const key = inputSections.find((s) => s.section === section)?.key;
  return key === undefined ? undefined : `?tab=${key}`;
}

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
              {tabLink(section) !== undefined ? (
                <Anchor component={Link} to={tabLink(section) ?? ""} inherit>
                  {t("certificateText.text.openTab", { section: sectionName(t, section) })}
                </Anchor>
              ) : (
                t("certificateText.text.openTab", { section: sectionName(t, section) })
              )}
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
