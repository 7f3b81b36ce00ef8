// One paragraph of the text as the user edits it: the running text, the
// list items one per line, a mark when it differs from what was generated,
// and the generated text to compare with and go back to.
import { Badge, Button, Collapse, Group, Paper, Stack, Text, Textarea } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import type { ResultParagraph } from "../../../gen/zeugo/v1/certificates_pb.js";
import { isEdited, type DraftParagraph } from "./draft.js";
import { paragraphName } from "./labels.js";

/** ParagraphEditor edits one paragraph. */
export function ParagraphEditor({
  paragraph,
  saved,
  readOnly,
  onChange,
}: {
  paragraph: DraftParagraph;
  /** The paragraph as saved (undefined when the text has more paragraphs now). */
  saved: ResultParagraph | undefined;
  readOnly: boolean;
  onChange: (next: DraftParagraph) => void;
}) {
  const { t } = useTranslation();
  const [showGenerated, { toggle }] = useDisclosure(false);
  const name = paragraphName(t, paragraph);
  const edited = isEdited(paragraph, saved);
  const hasGenerated = paragraph.generatedText !== "";
  return (
    <Paper withBorder radius="md" p="sm" data-testid={`paragraph-${paragraph.section}`}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {name}
            </Text>
            {edited && (
              <Badge size="sm" variant="light" color="grape">
                {t("certificateText.text.edited")}
              </Badge>
            )}
          </Group>
          {hasGenerated && edited && (
            <Group gap={4}>
              <Button size="compact-xs" variant="subtle" onClick={toggle} aria-expanded={showGenerated}>
                {showGenerated ? t("certificateText.text.hideGenerated") : t("certificateText.text.showGenerated")}
              </Button>
              {!readOnly && (
                <Button size="compact-xs" variant="subtle" onClick={() => onChange({ ...paragraph, text: paragraph.generatedText })}>
                  {t("certificateText.text.reset")}
                </Button>
              )}
            </Group>
          )}
        </Group>
        {(paragraph.text !== "" || !paragraph.hasItems) && (
          <Textarea
            aria-label={`${name}: ${t("certificateText.text.paragraphText")}`}
            value={paragraph.text}
            readOnly={readOnly}
            autosize
            minRows={2}
            maxRows={14}
            onChange={(e) => onChange({ ...paragraph, text: e.currentTarget.value })}
          />
        )}
        {paragraph.hasItems && (
          <Textarea
            label={t("certificateText.text.items")}
            aria-label={`${name}: ${t("certificateText.text.items")}`}
            value={paragraph.items}
            readOnly={readOnly}
            autosize
            minRows={2}
            maxRows={20}
            onChange={(e) => onChange({ ...paragraph, items: e.currentTarget.value })}
          />
        )}
        <Collapse expanded={showGenerated && hasGenerated}>
          <Stack gap={2} p="xs" bg="gray.0" style={{ borderRadius: 6 }}>
            <Text size="xs" c="dimmed">
              {t("certificateText.text.generatedLabel")}
            </Text>
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {paragraph.generatedText}
            </Text>
          </Stack>
        </Collapse>
      </Stack>
    </Paper>
  );
}
