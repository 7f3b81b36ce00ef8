// Import and export of the tenant's changes as JSON (to move texts between
// tenants or from a test tenant). An import is checked completely on the
// server first; every problem is listed with its path in the file, and
// nothing is stored unless all is well.
import { Alert, Button, FileButton, Group, List, Paper, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Code as RpcCode, ConnectError } from "@connectrpc/connect";
import { useExportCatalog, useImportCatalog } from "../../api/catalog.js";
import { errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { violationsFromError } from "../../lib/validation.js";

/** maxImportBytes is the server's limit of an imported file. */
const maxImportBytes = 1_000_000;

/** jsonPath writes a violation's field as a path in the file ("attributes[0].weight"). */
function jsonPath(field: string): string {
  return field.replace(/^json\.?/, "").replace(/\.(\d+)(?=\.|$)/g, "[$1]") || "–";
}

/** ImportExport offers the export as a download and the import of a file. */
export function ImportExport({ version, canImport }: { version: bigint; canImport: boolean }) {
  const { t, i18n } = useTranslation();
  const exp = useExportCatalog();
  const imp = useImportCatalog();
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();
  const download = async () => {
    setError(undefined);
    try {
      const res = await exp.mutateAsync({});
      const blob = new Blob([res.json], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `katalog-v${String(res.version)}.json`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  const upload = async (file: File | null) => {
    setProblems([]);
    setError(undefined);
    if (!file) return;
    if (file.size > maxImportBytes) {
      setError(t("catalog.io.tooLarge"));
      return;
    }
    const json = await file.text();
    try {
      await imp.mutateAsync({ catalogVersion: version, json });
      notifySuccess(t, t("catalog.io.imported"));
    } catch (err) {
      const vs = violationsFromError(err);
      if (vs.length > 0 && !(err instanceof ConnectError && err.code === RpcCode.Aborted)) {
        setProblems(vs.map((v) => `${jsonPath(v.field)}: ${v.message.split("\n")[i18n.language === "en" ? 1 : 0] ?? v.message}`));
      } else {
        setError(errorMessage(err, t));
      }
    }
  };
  return (
    <Stack gap="lg" maw={820}>
      <Paper withBorder radius="lg" p="lg">
        <Stack gap="sm">
          <Title order={2} fz="h5">
            {t("catalog.io.exportTitle")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("catalog.io.exportText")}
          </Text>
          <Button w="fit-content" onClick={() => void download()} loading={exp.isPending}>
            {t("catalog.io.export")}
          </Button>
        </Stack>
      </Paper>
      {canImport && (
        <Paper withBorder radius="lg" p="lg">
          <Stack gap="sm">
            <Title order={2} fz="h5">
              {t("catalog.io.importTitle")}
            </Title>
            <Text size="sm" c="dimmed">
              {t("catalog.io.importText")}
            </Text>
            <Group>
              <FileButton onChange={(f) => void upload(f)} accept="application/json,.json">
                {(props) => (
                  <Button {...props} variant="default" loading={imp.isPending}>
                    {t("catalog.io.import")}
                  </Button>
                )}
              </FileButton>
            </Group>
            {problems.length > 0 && (
              <Alert color="red" variant="light" role="alert" title={t("catalog.io.problems", { count: problems.length })}>
                <List size="sm" spacing={2} data-testid="import-problems">
                  {problems.map((p, i) => (
                    <List.Item key={i}>{p}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
          </Stack>
        </Paper>
      )}
      {error && (
        <Alert color="red" variant="light" role="alert">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
