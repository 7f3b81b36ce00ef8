// The ten recovery codes, shown once: to copy, to download as a text file,
// and a confirmation that they are kept somewhere safe before going on.
import { Alert, Button, Checkbox, CopyButton, SimpleGrid, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { saveFile } from "../../api/employees.js";
import { IconAlert, IconCopy, IconDownload } from "../../components/icons.js";
import { recoveryCodesFile } from "./codes.js";

type Props = {
  codes: string[];
  /** Whose codes they are, for the downloaded file. */
  email: string;
  tenant: string;
  /** Called after the user confirmed that the codes are kept. */
  onDone: () => void;
  doneLabel?: string;
};

/** RecoveryCodes lists the new codes and lets the user go on only after keeping them. */
export function RecoveryCodes({ codes, email, tenant, onDone, doneLabel }: Props) {
  const { t, i18n } = useTranslation();
  const [kept, setKept] = useState(false);
  const all = codes.join("\n");

  const download = () => {
    const date = new Intl.DateTimeFormat(i18n.language === "en" ? "en-GB" : "de-DE", { dateStyle: "medium", timeStyle: "short" }).format(new Date());
    const text = recoveryCodesFile(codes, t, { email, tenant, date });
    saveFile({ blob: new Blob([text], { type: "text/plain;charset=utf-8" }), fileName: t("mfa.recovery.fileName") });
  };

  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" icon={<IconAlert />}>
        {t("mfa.recovery.once")}
      </Alert>
      <Text size="sm">{t("mfa.recovery.explain")}</Text>
      <SimpleGrid
        cols={1}
        spacing="xs"
        verticalSpacing={6}
        component="ol"
        aria-label={t("mfa.recovery.listLabel")}
        data-testid="recovery-codes"
        m={0}
        p="sm"
        bg="gray.0"
        bd="1px solid var(--mantine-color-gray-3)"
        style={{ listStyle: "none", borderRadius: "var(--mantine-radius-md)" }}
      >
        {codes.map((code) => (
          <Text component="li" key={code} ff="monospace" fz="sm" ta="center" data-testid="recovery-code-item">
            {code}
          </Text>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <CopyButton value={all}>
          {({ copied, copy }) => (
            <Button variant="default" leftSection={<IconCopy size={16} />} onClick={copy} color={copied ? "teal" : undefined}>
              {copied ? t("mfa.copied") : t("mfa.recovery.copyAll")}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={download}>
          {t("mfa.recovery.download")}
        </Button>
      </SimpleGrid>
      <Checkbox label={t("mfa.recovery.kept")} checked={kept} onChange={(e) => setKept(e.currentTarget.checked)} />
      <Button onClick={onDone} disabled={!kept} fullWidth>
        {doneLabel ?? t("mfa.recovery.continue")}
      </Button>
    </Stack>
  );
}
