// Qualifikationen: the personal and professional attributes with their
// German and English names and the grades at which a reference names
// them; an edit dialog, hide/show and reset.
import { Button, Group, Modal, SegmentedControl, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CatalogEntryKind, UpdateAttributeRequestSchema, type CatalogAttributeEntry } from "../../gen/zeugo/v1/catalog_pb.js";
import { useUpdateAttribute } from "../../api/catalog.js";
import { notifySuccess } from "../../lib/notify.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { EntryActions } from "./EntryActions.js";
import { EntryBadges, noErrors, saveErrors, unplaced, type SaveErrors } from "./shared.js";

type Values = { id: string; kind: string; nameDe: string; nameEn: string; maxGrade: number };

/** Attributes lists the attributes. */
export function Attributes({
  entries,
  version,
  canEdit,
  reload,
}: {
  entries: CatalogAttributeEntry[];
  version: bigint;
  canEdit: boolean;
  reload: () => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | undefined>();
  const current = editing === "" ? undefined : entries.find((e) => e.id === editing);
  return (
    <Stack gap="md">
      {canEdit && (
        <Group>
          <Button onClick={() => setEditing("")}>{t("catalog.attributes.add")}</Button>
        </Group>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table verticalSpacing="sm" striped aria-label={t("catalog.tabs.attributes")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("catalog.languages.de")}</Table.Th>
              <Table.Th>{t("catalog.languages.en")}</Table.Th>
              <Table.Th w={130}>{t("catalog.attributes.kind")}</Table.Th>
              <Table.Th w={110}>{t("catalog.attributes.grades")}</Table.Th>
              <Table.Th w={180}>{t("catalog.status")}</Table.Th>
              <Table.Th w={260} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.id} data-testid={`attribute-${e.id}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {e.fields?.nameDe}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {e.id}
                  </Text>
                </Table.Td>
                <Table.Td>{e.fields?.nameEn || "–"}</Table.Td>
                <Table.Td>{t(`catalog.attributes.kinds.${e.fields?.kind ?? "personal"}`)}</Table.Td>
                <Table.Td>{e.fields?.maxGrade === 1 ? "1" : `1–${e.fields?.maxGrade ?? 3}`}</Table.Td>
                <Table.Td>
                  <EntryBadges state={e.state} hidden={e.hidden} missing={e.missingLanguages} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button size="xs" variant="default" onClick={() => setEditing(e.id)}>
                      {canEdit ? t("common.edit") : t("catalog.show")}
                    </Button>
                    {canEdit && (
                      <EntryActions kind={CatalogEntryKind.ATTRIBUTE} id={e.id} name={e.fields?.nameDe ?? e.id} state={e.state} hidden={e.hidden} version={version} />
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing !== undefined && (
        <AttributeDialog
          key={`${editing}.${version}`}
          initial={{
            id: current?.id ?? "",
            kind: current?.fields?.kind ?? "professional",
            nameDe: current?.fields?.nameDe ?? "",
            nameEn: current?.fields?.nameEn ?? "",
            maxGrade: current?.fields?.maxGrade ?? 3,
          }}
          isNew={current === undefined}
          version={version}
          canEdit={canEdit}
          onClose={() => setEditing(undefined)}
          reload={reload}
        />
      )}
    </Stack>
  );
}

/** AttributeDialog edits or adds an attribute. */
function AttributeDialog({
  initial,
  isNew,
  version,
  canEdit,
  onClose,
  reload,
}: {
  initial: Values;
  isNew: boolean;
  version: bigint;
  canEdit: boolean;
  onClose: () => void;
  reload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const update = useUpdateAttribute();
  const [v, setV] = useState<Values>(initial);
  const [errors, setErrors] = useState<SaveErrors>(noErrors);
  const save = async () => {
    setErrors(noErrors);
    try {
      await update.mutateAsync({
        catalogVersion: version,
        id: v.id.trim(),
        fields: { kind: v.kind, nameDe: v.nameDe, nameEn: v.nameEn, maxGrade: v.maxGrade },
      });
      notifySuccess(t, t("catalog.saved"));
      onClose();
    } catch (err) {
      setErrors(saveErrors(err, UpdateAttributeRequestSchema, t, i18n.language));
    }
  };
  const err = (f: string) => errors.fields[f];
  const rest = unplaced(errors, (f) => ["id", "fields.kind", "fields.nameDe", "fields.nameEn", "fields.maxGrade"].includes(f));
  const text = (key: "nameDe" | "nameEn", lang: string) => (
    <TextInput
      label={t("catalog.attributes.name", { language: t(`catalog.languages.${lang}`) })}
      required={key === "nameDe"}
      readOnly={!canEdit}
      value={v[key]}
      onChange={(e) => {
        const value = e.currentTarget.value;
        setV((cur) => ({ ...cur, [key]: value }));
      }}
      error={err(`fields.${key}`)}
    />
  );
  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={isNew ? t("catalog.attributes.addTitle") : t("catalog.attributes.editTitle", { name: initial.nameDe })}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      <Stack gap="md">
        <FormAlerts conflict={errors.conflict} formError={rest.length > 0 ? rest.join(" ") : null} onReload={() => { reload(); onClose(); }} />
        <TextInput
          label={t("catalog.id")}
          description={t("catalog.idHint")}
          required
          readOnly={!isNew || !canEdit}
          value={v.id}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setV((cur) => ({ ...cur, id: value }));
          }}
          error={err("id")}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t("catalog.attributes.kind")}
          </Text>
          <SegmentedControl
            aria-label={t("catalog.attributes.kind")}
            disabled={!canEdit}
            data={["professional", "personal"].map((k) => ({ value: k, label: t(`catalog.attributes.kinds.${k}`) }))}
            value={v.kind}
            onChange={(k) => setV((cur) => ({ ...cur, kind: k }))}
          />
        </Stack>
        <Group grow align="flex-start">
          {text("nameDe", "de")}
          {text("nameEn", "en")}
        </Group>
        <Select
          label={t("catalog.attributes.maxGrade")}
          description={t("catalog.attributes.maxGradeHint")}
          readOnly={!canEdit}
          allowDeselect={false}
          data={[1, 2, 3, 4, 5].map((g) => ({ value: String(g), label: t(`catalog.attributes.grade${g}`) }))}
          value={String(v.maxGrade)}
          onChange={(g) => g && setV((cur) => ({ ...cur, maxGrade: Number(g) }))}
          error={err("fields.maxGrade")}
        />
        {canEdit && (
          <Group>
            <Button onClick={() => void save()} loading={update.isPending}>
              {t("common.save")}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
