// Berufsbilder: the job profiles with their German and English titles,
// state badges, an edit dialog (titles per form and language, task
// sentences side by side), hide/show and reset.
import { ActionIcon, Button, Grid, Group, Modal, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  CatalogEntryKind,
  UpdateJobProfileRequestSchema,
  type CatalogJobProfileEntry,
  type JobProfileFields,
} from "../../gen/zeugo/v1/catalog_pb.js";
import { useUpdateJobProfile } from "../../api/catalog.js";
import { notifySuccess } from "../../lib/notify.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { EntryActions } from "./EntryActions.js";
import { EntryBadges, noErrors, saveErrors, unplaced, type SaveErrors } from "./shared.js";

type Title3 = { masculine: string; feminine: string; neutral: string };
type Task = { id: string; de: string; en: string };
type Values = { id: string; area: string; titleDe: Title3; titleEn: Title3; tasks: Task[] };

function valuesOf(id: string, f: JobProfileFields | undefined): Values {
  const title = (t: Title3 | undefined): Title3 => ({ masculine: t?.masculine ?? "", feminine: t?.feminine ?? "", neutral: t?.neutral ?? "" });
  return {
    id,
    area: f?.area ?? "",
    titleDe: title(f?.titleDe),
    titleEn: title(f?.titleEn),
    tasks: (f?.tasks ?? []).map((t) => ({ id: t.id, de: t.de, en: t.en })),
  };
}

/** JobProfiles lists the job profiles. */
export function JobProfiles({
  entries,
  version,
  canEdit,
  reload,
}: {
  entries: CatalogJobProfileEntry[];
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
          <Button onClick={() => setEditing("")}>{t("catalog.profiles.add")}</Button>
        </Group>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table verticalSpacing="sm" striped aria-label={t("catalog.tabs.profiles")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("catalog.languages.de")}</Table.Th>
              <Table.Th>{t("catalog.languages.en")}</Table.Th>
              <Table.Th w={90}>{t("catalog.profiles.tasks")}</Table.Th>
              <Table.Th w={180}>{t("catalog.status")}</Table.Th>
              <Table.Th w={260} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.id} data-testid={`profile-${e.id}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {e.fields?.titleDe?.neutral}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {e.id}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{e.fields?.titleEn?.neutral || "–"}</Text>
                </Table.Td>
                <Table.Td>{e.fields?.tasks.length ?? 0}</Table.Td>
                <Table.Td>
                  <EntryBadges state={e.state} hidden={e.hidden} missing={e.missingLanguages} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button size="xs" variant="default" onClick={() => setEditing(e.id)}>
                      {canEdit ? t("common.edit") : t("catalog.show")}
                    </Button>
                    {canEdit && (
                      <EntryActions kind={CatalogEntryKind.JOB_PROFILE} id={e.id} name={e.fields?.titleDe?.neutral ?? e.id} state={e.state} hidden={e.hidden} version={version} />
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing !== undefined && (
        <ProfileDialog
          key={`${editing}.${version}`}
          initial={valuesOf(current?.id ?? "", current?.fields)}
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

/** ProfileDialog edits or adds a job profile. */
function ProfileDialog({
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
  const update = useUpdateJobProfile();
  const [v, setV] = useState<Values>(isNew ? { ...initial, tasks: [{ id: "", de: "", en: "" }] } : initial);
  const [errors, setErrors] = useState<SaveErrors>(noErrors);
  const setTask = (i: number, patch: Partial<Task>) => setV((cur) => ({ ...cur, tasks: cur.tasks.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
  const save = async () => {
    setErrors(noErrors);
    try {
      await update.mutateAsync({
        catalogVersion: version,
        id: v.id.trim(),
        fields: { area: v.area, titleDe: v.titleDe, titleEn: v.titleEn, tasks: v.tasks },
      });
      notifySuccess(t, t("catalog.saved"));
      onClose();
    } catch (err) {
      setErrors(saveErrors(err, UpdateJobProfileRequestSchema, t, i18n.language));
    }
  };
  const err = (f: string) => errors.fields[f];
  const shownField = (f: string) =>
    f === "id" || f === "fields.area" || /^fields\.title(De|En)(\.(masculine|feminine|neutral))?$/.test(f) || /^fields\.tasks(\.\d+\.(id|de|en))?$/.test(f);
  const rest = unplaced(errors, shownField);
  const titleInputs = (key: "titleDe" | "titleEn", lang: string) => (
    <Stack gap="xs">
      <Title order={3} fz="h6">
        {t(`catalog.languages.${lang}`)}
      </Title>
      {(["neutral", "masculine", "feminine"] as const).map((form) => (
        <TextInput
          key={form}
          label={t(`catalog.profiles.title.${form}`, { language: t(`catalog.languages.${lang}`) })}
          required={key === "titleDe" && form === "neutral"}
          readOnly={!canEdit}
          value={v[key][form]}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setV((cur) => ({ ...cur, [key]: { ...cur[key], [form]: value } }));
          }}
          error={err(`fields.${key}.${form}`) ?? (form === "neutral" ? err(`fields.${key}`) : undefined)}
        />
      ))}
    </Stack>
  );
  return (
    <Modal
      opened
      onClose={onClose}
      size="80rem"
      title={isNew ? t("catalog.profiles.addTitle") : t("catalog.profiles.editTitle", { name: initial.titleDe.neutral })}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      <Stack gap="md">
        <FormAlerts conflict={errors.conflict} formError={rest.length > 0 ? rest.join(" ") : null} onReload={() => { reload(); onClose(); }} />
        <Group grow align="flex-start">
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
          <TextInput
            label={t("catalog.profiles.area")}
            readOnly={!canEdit}
            value={v.area}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setV((cur) => ({ ...cur, area: value }));
            }}
            error={err("fields.area")}
          />
        </Group>
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 6 }}>{titleInputs("titleDe", "de")}</Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>{titleInputs("titleEn", "en")}</Grid.Col>
        </Grid>
        <Title order={3} fz="h6">
          {t("catalog.profiles.tasks")}
        </Title>
        {err("fields.tasks") && (
          <Text c="red" size="sm">
            {err("fields.tasks")}
          </Text>
        )}
        {v.tasks.map((task, i) => (
          <Grid key={i} gap="sm" align="flex-start">
            <Grid.Col span={{ base: 12, md: 2 }}>
              <TextInput
                label={t("catalog.profiles.taskId", { n: i + 1 })}
                readOnly={!canEdit}
                value={task.id}
                onChange={(e) => setTask(i, { id: e.currentTarget.value })}
                error={err(`fields.tasks.${i}.id`)}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <TextInput
                label={t("catalog.profiles.taskText", { n: i + 1, language: t("catalog.languages.de") })}
                readOnly={!canEdit}
                value={task.de}
                onChange={(e) => setTask(i, { de: e.currentTarget.value })}
                error={err(`fields.tasks.${i}.de`)}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 11, md: 4 }}>
              <TextInput
                label={t("catalog.profiles.taskText", { n: i + 1, language: t("catalog.languages.en") })}
                readOnly={!canEdit}
                value={task.en}
                onChange={(e) => setTask(i, { en: e.currentTarget.value })}
                error={err(`fields.tasks.${i}.en`)}
              />
            </Grid.Col>
            <Grid.Col span={1}>
              {canEdit && v.tasks.length > 1 && (
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  mt={28}
                  aria-label={t("catalog.profiles.removeTask", { n: i + 1 })}
                  onClick={() => setV((cur) => ({ ...cur, tasks: cur.tasks.filter((_, j) => j !== i) }))}
                >
                  ×
                </ActionIcon>
              )}
            </Grid.Col>
          </Grid>
        ))}
        {canEdit && v.tasks.length < 40 && (
          <Button variant="subtle" size="xs" w="fit-content" onClick={() => setV((cur) => ({ ...cur, tasks: [...cur.tasks, { id: "", de: "", en: "" }] }))}>
            {t("catalog.profiles.addTask")}
          </Button>
        )}
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
