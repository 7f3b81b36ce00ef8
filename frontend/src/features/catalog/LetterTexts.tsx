// Brieftexte: every letter text with its German and English variants side
// by side; an edit dialog per text (variants per language, the server's
// findings beside each variant), reset to the shipped text.
import { ActionIcon, Alert, Button, Code, Grid, Group, Modal, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  CatalogEntryKind,
  CatalogEntryState,
  UpdateLetterTextRequestSchema,
  type CatalogLetterTextEntry,
} from "../../gen/zeugo/v1/catalog_pb.js";
import { useResetCatalogEntry, useUpdateLetterText } from "../../api/catalog.js";
import { notifySuccess } from "../../lib/notify.js";
import { errorMessage } from "../../lib/errors.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { EntryBadges, noErrors, saveErrors, unplaced, type SaveErrors } from "./shared.js";

const langs = ["de", "en"] as const;
type Lang = (typeof langs)[number];

/** LetterTexts lists the letter texts, filterable by key or wording. */
export function LetterTexts({
  entries,
  version,
  placeholders,
  canEdit,
  reload,
}: {
  entries: CatalogLetterTextEntry[];
  version: bigint;
  placeholders: string[];
  canEdit: boolean;
  reload: () => void;
}) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState("");
  const [editing, setEditing] = useState<string | undefined>();
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    if (f === "") return entries;
    return entries.filter(
      (e) =>
        e.key.toLowerCase().includes(f) ||
        [...(e.fields?.de ?? []), ...(e.fields?.en ?? [])].some((v) => v.toLowerCase().includes(f)),
    );
  }, [entries, filter]);
  const current = entries.find((e) => e.key === editing);
  return (
    <Stack gap="md">
      <TextInput
        label={t("catalog.letters.filter")}
        placeholder={t("catalog.letters.filterHint")}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
        maw={420}
      />
      <Table.ScrollContainer minWidth={800}>
        <Table verticalSpacing="sm" striped aria-label={t("catalog.tabs.letters")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={220}>{t("catalog.letters.key")}</Table.Th>
              <Table.Th>{t("catalog.languages.de")}</Table.Th>
              <Table.Th>{t("catalog.languages.en")}</Table.Th>
              <Table.Th w={140}>{t("catalog.status")}</Table.Th>
              <Table.Th w={110} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((e) => (
              <Table.Tr key={e.key} data-testid={`letter-${e.key}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {t(`catalog.letters.groups.${e.key.split(".")[0] ?? ""}`, { defaultValue: e.key.split(".")[0] })}
                  </Text>
                  <Code>{e.key}</Code>
                </Table.Td>
                {langs.map((l) => (
                  <Table.Td key={l}>
                    <Text size="sm">{e.fields?.[l][0] ?? ""}</Text>
                    {(e.fields?.[l].length ?? 0) > 1 && (
                      <Text size="xs" c="dimmed">
                        {t("catalog.letters.moreVariants", { count: (e.fields?.[l].length ?? 1) - 1 })}
                      </Text>
                    )}
                  </Table.Td>
                ))}
                <Table.Td>
                  <EntryBadges state={e.state} />
                  {e.changedLanguages.length > 0 && (
                    <Text size="xs" c="dimmed">
                      {e.changedLanguages.map((l) => t(`catalog.languages.${l}`)).join(", ")}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Button size="xs" variant="default" onClick={() => setEditing(e.key)}>
                    {canEdit ? t("common.edit") : t("catalog.show")}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {shown.length === 0 && <Text c="dimmed">{t("catalog.letters.none")}</Text>}
      {current && (
        <LetterDialog
          key={`${current.key}.${version}`}
          entry={current}
          version={version}
          placeholders={placeholders}
          canEdit={canEdit}
          onClose={() => setEditing(undefined)}
          reload={reload}
        />
      )}
    </Stack>
  );
}

/** LetterDialog edits the variants of one letter text in both languages. */
function LetterDialog({
  entry,
  version,
  placeholders,
  canEdit,
  onClose,
  reload,
}: {
  entry: CatalogLetterTextEntry;
  version: bigint;
  placeholders: string[];
  canEdit: boolean;
  onClose: () => void;
  reload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const update = useUpdateLetterText();
  const reset = useResetCatalogEntry();
  const [values, setValues] = useState<Record<Lang, string[]>>({
    de: [...(entry.fields?.de ?? [])],
    en: [...(entry.fields?.en ?? [])],
  });
  const [errors, setErrors] = useState<SaveErrors>(noErrors);
  const set = (l: Lang, i: number, v: string) => setValues((cur) => ({ ...cur, [l]: cur[l].map((x, j) => (j === i ? v : x)) }));
  const add = (l: Lang) => setValues((cur) => ({ ...cur, [l]: [...cur[l], ""] }));
  const remove = (l: Lang, i: number) => setValues((cur) => ({ ...cur, [l]: cur[l].filter((_, j) => j !== i) }));
  const save = async () => {
    setErrors(noErrors);
    try {
      await update.mutateAsync({ catalogVersion: version, key: entry.key, fields: { de: values.de, en: values.en } });
      notifySuccess(t, t("catalog.saved"));
      onClose();
    } catch (err) {
      setErrors(saveErrors(err, UpdateLetterTextRequestSchema, t, i18n.language));
    }
  };
  const doReset = async () => {
    setErrors(noErrors);
    try {
      await reset.mutateAsync({ catalogVersion: version, kind: CatalogEntryKind.LETTER_TEXT, id: entry.key });
      notifySuccess(t, t("catalog.resetDone"));
      onClose();
    } catch (err) {
      setErrors({ ...noErrors, other: [errorMessage(err, t)] });
    }
  };
  const shownField = (f: string) => /^fields\.(de|en)\.\d+$/.test(f);
  const rest = unplaced(errors, shownField);
  return (
    <Modal opened onClose={onClose} size="80rem" title={t("catalog.letters.editTitle", { key: entry.key })} closeButtonProps={{ "aria-label": t("common.close") }}>
      <Stack gap="md">
        <FormAlerts conflict={errors.conflict} formError={rest.length > 0 ? rest.join(" ") : null} onReload={() => { reload(); onClose(); }} />
        <Text size="sm" c="dimmed">
          {t("catalog.letters.hint")} {placeholders.map((p) => `{${p}}`).join(" ")}
        </Text>
        <Grid gap="lg">
          {langs.map((l) => (
            <Grid.Col key={l} span={{ base: 12, md: 6 }}>
              <Stack gap="sm">
                <Title order={3} fz="h6">
                  {t(`catalog.languages.${l}`)}
                </Title>
                {values[l].length === 0 && <Text size="sm" c="dimmed">{t("catalog.letters.usesDefault")}</Text>}
                {values[l].map((v, i) => (
                  <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
                    <Textarea
                      style={{ flex: 1 }}
                      label={t("catalog.letters.variant", { n: i + 1, language: t(`catalog.languages.${l}`) })}
                      autosize
                      minRows={2}
                      value={v}
                      readOnly={!canEdit}
                      onChange={(e) => set(l, i, e.currentTarget.value)}
                      error={errors.fields[`fields.${l}.${i}`]}
                    />
                    {canEdit && values[l].length > 1 && (
                      <ActionIcon variant="subtle" color="gray" mt={28} aria-label={t("catalog.letters.removeVariant", { n: i + 1, language: t(`catalog.languages.${l}`) })} onClick={() => remove(l, i)}>
                        ×
                      </ActionIcon>
                    )}
                  </Group>
                ))}
                {canEdit && values[l].length < 10 && (
                  <Button variant="subtle" size="xs" onClick={() => add(l)} w="fit-content">
                    {t("catalog.letters.addVariant")}
                  </Button>
                )}
                <Text size="xs" c="dimmed">
                  {t("catalog.letters.default")}: {(entry.defaultFields?.[l] ?? []).join(" · ")}
                </Text>
              </Stack>
            </Grid.Col>
          ))}
        </Grid>
        {canEdit && (
          <Group justify="space-between">
            <Group>
              <Button onClick={() => void save()} loading={update.isPending}>
                {t("common.save")}
              </Button>
              <Button variant="default" onClick={onClose}>
                {t("common.cancel")}
              </Button>
            </Group>
            {entry.state === CatalogEntryState.CHANGED && (
              <Button variant="light" color="red" onClick={() => void doReset()} loading={reset.isPending}>
                {t("catalog.reset")}
              </Button>
            )}
          </Group>
        )}
        {errors.other.length > 0 && !canEdit && <Alert color="red">{errors.other.join(" ")}</Alert>}
      </Stack>
    </Modal>
  );
}
