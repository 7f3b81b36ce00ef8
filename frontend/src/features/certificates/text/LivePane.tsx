// The live pane beside the editor: the text as the checker read it, with
// its findings marked, the grade each paragraph conveys against the grade
// the ratings call for, and the findings as a list (German, with the
// English text as a second line).
import { Alert, Badge, Group, Loader, Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { TextCheck } from "../../../gen/zeugo/v1/certificates_pb.js";
import { itemsOf, type DraftParagraph } from "./draft.js";
import { locate, type Needle, type Range } from "./highlight.js";
import { gradeName, kindColor, kindName, paragraphName } from "./labels.js";
import { MarkedParagraph } from "./MarkedParagraph.js";

/** placeFindings locates every finding with words in its paragraph. */
export function placeFindings(
  draft: readonly DraftParagraph[],
  check: TextCheck | undefined,
): { byParagraph: Range[][]; unplaced: Set<number> } {
  const byParagraph: Range[][] = draft.map(() => []);
  const unplaced = new Set<number>();
  if (!check) return { byParagraph, unplaced };
  draft.forEach((p, index) => {
    const needles: Needle[] = [];
    check.findings.forEach((f, id) => {
      if (f.paragraph === index && f.fragment.trim() !== "") needles.push({ id, kind: f.kind, fragment: f.fragment });
    });
    const { ranges, unplaced: lost } = locate([p.text, ...itemsOf(p.items)], needles);
    byParagraph[index] = ranges;
    for (const n of lost) unplaced.add(n.id);
  });
  check.findings.forEach((f, id) => {
    if (f.fragment.trim() !== "" && (f.paragraph < 0 || f.paragraph >= draft.length)) unplaced.add(id);
  });
  return { byParagraph, unplaced };
}

/** LivePane shows the checker's reading of the (unsaved) text. */
export function LivePane({
  draft,
  check,
  checking,
  failed,
}: {
  draft: readonly DraftParagraph[];
  check: TextCheck | undefined;
  checking: boolean;
  failed: boolean;
}) {
  const { t } = useTranslation();
  const { byParagraph, unplaced } = placeFindings(draft, check);
  const findings = check?.findings ?? [];
  const gradeOff = (index: number) => findings.some((f) => f.kind === "grade" && f.paragraph === index);
  return (
    <Paper withBorder radius="lg" p="md" aria-labelledby="live-check-title">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={3} fz="h5" id="live-check-title">
            {t("certificateText.check.title")}
          </Title>
          {checking && <Loader size="xs" aria-label={t("certificateText.check.checking")} />}
        </Group>
        <Text size="xs" c="dimmed">
          {t("certificateText.check.intro")}
        </Text>
        {failed && (
          <Alert color="red" variant="light">
            {t("certificateText.check.failed")}
          </Alert>
        )}
        {check && (
          <Group gap="xs" data-testid="overall-grade">
            <Text size="sm">{t("certificateText.check.overall")}:</Text>
            <Text size="sm" fw={700}>
              {gradeName(t, check.overallGrade)}
            </Text>
            {check.expectedOverallGrade > 0 && (
              <Text size="sm" c="dimmed">
                {t("certificateText.check.expected")}: {gradeName(t, check.expectedOverallGrade)}
              </Text>
            )}
          </Group>
        )}
        {check?.needsConfirmation && (
          <Alert color="orange" variant="light">
            {t("certificateText.check.needsConfirmation")}
          </Alert>
        )}
        <Stack gap="sm" aria-label={t("certificateText.text.title")} role="region">
          {draft.map((p, i) => (
            <MarkedParagraph
              key={i}
              paragraph={p}
              grade={check?.paragraphs.find((g) => g.index === i)}
              ranges={byParagraph[i] ?? []}
              findings={findings}
              gradeOff={gradeOff(i)}
            />
          ))}
        </Stack>
        <Text size="xs" c="dimmed">
          {t("certificateText.check.legend")}
        </Text>
        <Title order={4} fz="sm">
          {t("certificateText.check.findings")}
        </Title>
        {check && findings.length === 0 && (
          <Text size="sm" c="dimmed">
            {t("certificateText.check.none")}
          </Text>
        )}
        {findings.length > 0 && (
          <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: "none" }} aria-label={t("certificateText.check.findings")}>
            {findings.map((f, id) => {
              const para = draft[f.paragraph];
              return (
                <li key={id} data-kind={f.kind}>
                  <Stack gap={2} align="flex-start">
                    <Badge size="sm" color={kindColor(f.kind)} variant="filled">
                      {kindName(t, f.kind)}
                    </Badge>
                    <Stack gap={0}>
                      <Text size="sm" title={f.messageEn}>
                        {f.messageDe}
                        {f.fragment !== "" && <> („{f.fragment}“)</>}
                      </Text>
                      <Text size="xs" c="dimmed" lang="en">
                        {f.messageEn}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {para ? paragraphName(t, para) : t("certificateText.check.wholeText")}
                        {unplaced.has(id) && ` · ${t("certificateText.check.notInText")}`}
                      </Text>
                    </Stack>
                  </Stack>
                </li>
              );
            })}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
