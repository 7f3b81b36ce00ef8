// One paragraph of the live pane with the checker's findings marked in it.
import { Box, List, Mark, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ParagraphCheck, TextFinding } from "../../../gen/zeugo/v1/certificates_pb.js";
import type { DraftParagraph } from "./draft.js";
import { itemsOf } from "./draft.js";
import { segments, type Range } from "./highlight.js";
import { gradeName, kindColor, paragraphName } from "./labels.js";

/** MarkedParagraph shows a paragraph with its placed findings as marks. */
export function MarkedParagraph({
  paragraph,
  grade,
  ranges,
  findings,
  gradeOff,
}: {
  paragraph: DraftParagraph;
  grade: ParagraphCheck | undefined;
  /** The placed findings of this paragraph. */
  ranges: Range[];
  /** All findings of the check (a range's id indexes them). */
  findings: readonly TextFinding[];
  /** The paragraph conveys another grade than the ratings. */
  gradeOff: boolean;
}) {
  const { t } = useTranslation();
  const items = itemsOf(paragraph.items);
  const part = (text: string, index: number) =>
    segments(
      text,
      ranges.filter((r) => r.part === index),
    ).map((seg, i) =>
      seg.kind === undefined ? (
        <span key={i}>{seg.text}</span>
      ) : (
        <Mark
          key={i}
          color={`${kindColor(seg.kind)}.3`}
          data-kind={seg.kind}
          title={seg.ids.map((id) => findings[id]?.messageDe ?? "").join(" · ")}
        >
          {seg.text}
        </Mark>
      ),
    );
  return (
    <Box
      pl="sm"
      style={{ borderLeft: `3px solid var(--mantine-color-${gradeOff ? "orange-5" : "gray-3"})` }}
      data-testid={`marked-paragraph-${paragraph.section}`}
    >
      <Stack gap={4}>
        <Text size="xs" fw={600} c="dimmed" tt="uppercase">
          {paragraphName(t, paragraph)}
        </Text>
        {grade && grade.grade > 0 && (
          <Text size="xs" fw={gradeOff ? 700 : 500} data-testid="paragraph-grade" data-off={gradeOff || undefined}>
            {grade.expectedGrade > 0
              ? t("certificateText.check.gradeVs", { grade: gradeName(t, grade.grade), expected: gradeName(t, grade.expectedGrade) })
              : t("certificateText.check.gradeOnly", { grade: gradeName(t, grade.grade) })}
          </Text>
        )}
        {paragraph.text.trim() !== "" && (
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {part(paragraph.text, 0)}
          </Text>
        )}
        {items.length > 0 && (
          <List size="sm" spacing={2}>
            {items.map((item, i) => (
              <List.Item key={i}>{part(item, i + 1)}</List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Box>
  );
}
