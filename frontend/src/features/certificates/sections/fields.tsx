// Building blocks of the section forms: a field's props, and the list of
// rows with add, remove and move up/down that Werdegang, Stationen,
// Tätigkeiten, Zusatztätigkeiten, Weiterbildungen, Vollmachten and Erfolge
// share.
import { ActionIcon, Box, Button, Group, Paper, Stack, Text, Textarea, Tooltip } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "../../../components/icons.js";
import { move } from "./mapping.js";

// The forms' values are plain records; the helpers reach into them by path.
type AnyForm = UseFormReturnType<Record<string, unknown>>;

/** inputProps are a field's form props with an id for labels and focus. */
export function inputProps<V>(form: UseFormReturnType<V>, path: string) {
  return { id: `certificate-${path.replace(/\./g, "-")}`, ...form.getInputProps(path as never) };
}

/** checkboxProps are a checkbox's or switch's form props with an id. */
export function checkboxProps<V>(form: UseFormReturnType<V>, path: string) {
  return { id: `certificate-${path.replace(/\./g, "-")}`, ...form.getInputProps(path as never, { type: "checkbox" }) };
}

/** ListEditorProps configures a ListEditor. */
type ListEditorProps<V, Row> = {
  form: UseFormReturnType<V>;
  /** The list's path in the form's values. */
  path: string;
  /** The label of row i (1-based in the text), e.g. "Position 2". */
  rowLabel: (n: number) => string;
  /** A new row. */
  empty: Row;
  addLabel: string;
  emptyText: string;
  max: number;
  /** The fields of row i. */
  row: (index: number) => ReactNode;
  /** Rows as cards (several fields) or inline (one text). */
  variant?: "card" | "inline";
};

/** ListEditor is a list of rows with add, remove and reorder buttons. */
export function ListEditor<V, Row>({ form, path, rowLabel, empty, addLabel, emptyText, max, row, variant = "card" }: ListEditorProps<V, Row>) {
  const f = form as unknown as AnyForm;
  const rows = (f.getValues()[path] as Row[] | undefined) ?? [];
  const buttons = (i: number) => (
    <RowButtons
      what={rowLabel(i + 1)}
      index={i}
      count={rows.length}
      onMove={(to) => f.setFieldValue(path, move(rows, i, to))}
      onRemove={() => f.removeListItem(path, i)}
    />
  );
  return (
    <Stack gap="sm">
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {emptyText}
        </Text>
      )}
      {rows.map((_, i) =>
        variant === "inline" ? (
          <Group key={i} align="flex-start" gap="sm" wrap="nowrap">
            <Box style={{ flex: 1 }}>{row(i)}</Box>
            <Box pt={26}>{buttons(i)}</Box>
          </Group>
        ) : (
          <Paper key={i} withBorder radius="md" p="sm">
            <Group justify="space-between" mb={6} wrap="nowrap">
              <Text size="sm" fw={600}>
                {rowLabel(i + 1)}
              </Text>
              {buttons(i)}
            </Group>
            {row(i)}
          </Paper>
        ),
      )}
      {rows.length < max && (
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} />}
          style={{ alignSelf: "flex-start" }}
          onClick={() => f.insertListItem(path, structuredClone(empty))}
        >
          {addLabel}
        </Button>
      )}
    </Stack>
  );
}

/** RowButtons move a row up or down and remove it; labelled with the row for screen readers. */
function RowButtons({
  what,
  index,
  count,
  onMove,
  onRemove,
}: {
  what: string;
  index: number;
  count: number;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label={t("certificates.list.moveUp")}>
        <ActionIcon variant="subtle" color="gray" disabled={index === 0} aria-label={`${what}: ${t("certificates.list.moveUp")}`} onClick={() => onMove(index - 1)}>
          <IconArrowUp size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={t("certificates.list.moveDown")}>
        <ActionIcon
          variant="subtle"
          color="gray"
          disabled={index === count - 1}
          aria-label={`${what}: ${t("certificates.list.moveDown")}`}
          onClick={() => onMove(index + 1)}
        >
          <IconArrowDown size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={t("certificates.list.remove")}>
        <ActionIcon variant="subtle" color="red" aria-label={`${what}: ${t("certificates.list.remove")}`} onClick={onRemove}>
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

/** TextRows is a ListEditor of one text per row (tasks, additional tasks, successes). */
export function TextRows<V>({
  form,
  path,
  rowLabel,
  addLabel,
  emptyText,
  placeholder,
}: {
  form: UseFormReturnType<V>;
  path: string;
  rowLabel: (n: number) => string;
  addLabel: string;
  emptyText: string;
  placeholder?: string;
}) {
  return (
    <ListEditor
      form={form}
      path={path}
      rowLabel={rowLabel}
      empty=""
      addLabel={addLabel}
      emptyText={emptyText}
      max={30}
      variant="inline"
      row={(i) => (
        <Textarea
          label={rowLabel(i + 1)}
          placeholder={placeholder}
          autosize
          minRows={1}
          maxRows={6}
          maxLength={1000}
          {...inputProps(form, `${path}.${i}`)}
        />
      )}
    />
  );
}
