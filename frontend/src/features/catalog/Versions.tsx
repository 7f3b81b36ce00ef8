// The catalogue's history: every change with its version, author, time
// and what changed; newest first, a page at a time.
import { Button, Center, Loader, Stack, Table, Text } from "@mantine/core";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useTranslation } from "react-i18next";
import { useCatalogVersions } from "../../api/catalog.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";

/** Versions lists the history. */
export function Versions() {
  const { t, i18n } = useTranslation();
  const q = useCatalogVersions();
  if (q.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  }
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const rows = q.data.pages.flatMap((p) => p.versions);
  if (rows.length === 0) return <Text c="dimmed">{t("catalog.versions.none")}</Text>;
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  return (
    <Stack gap="md">
      <Table verticalSpacing="sm" striped aria-label={t("catalog.tabs.versions")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={90}>{t("catalog.versions.version")}</Table.Th>
            <Table.Th>{t("catalog.versions.change")}</Table.Th>
            <Table.Th>{t("catalog.versions.by")}</Table.Th>
            <Table.Th>{t("catalog.versions.at")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((v) => (
            <Table.Tr key={String(v.version)}>
              <Table.Td>{String(v.version)}</Table.Td>
              <Table.Td>{summary(v.summary, t)}</Table.Td>
              <Table.Td>{v.createdByName || "–"}</Table.Td>
              <Table.Td>{v.createdAt ? fmt.format(timestampDate(v.createdAt)) : ""}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.hasNextPage && (
        <Button variant="default" w="fit-content" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t("catalog.versions.more")}
        </Button>
      )}
    </Stack>
  );
}

/** summary reads the server's "kind:id action" in the user's language. */
function summary(s: string, t: (key: string, opts?: Record<string, string>) => string): string {
  const m = /^(jobProfile|attribute|letterText):(\S+) (updated|hidden|shown|reset)$/.exec(s);
  if (m) return t(`catalog.versions.summary.${m[3] ?? ""}`, { kind: t(`catalog.versions.kinds.${m[1] ?? ""}`), id: m[2] ?? "" });
  if (s === "catalogue imported") return t("catalog.versions.summary.imported");
  return s;
}
