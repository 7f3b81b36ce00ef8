// The text was saved by someone else since it was loaded here.
import { Alert, Button, Stack, Text } from "@mantine/core";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useTranslation } from "react-i18next";
import type { SectionInfo } from "../../../gen/zeugo/v1/certificates_pb.js";
import { IconAlert } from "../../../components/icons.js";

/**
 * ConflictAlert names who saved the text in between and when (once the
 * certificate has been read again and carries the newer version), and
 * offers to load that text.
 */
export function ConflictAlert({ info, baseVersion, onReload }: { info: SectionInfo; baseVersion: bigint; onReload: () => void }) {
  const { t, i18n } = useTranslation();
  const known = info.version !== baseVersion && info.updatedByName !== "" && info.updateTime !== undefined;
  const time =
    known && info.updateTime
      ? new Intl.DateTimeFormat(i18n.language === "en" ? "en-GB" : "de-DE", { hour: "2-digit", minute: "2-digit" }).format(
          timestampDate(info.updateTime),
        )
      : "";
  return (
    <Alert color="orange" variant="light" icon={<IconAlert />} role="alert">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">
          {known ? t("certificateText.text.conflict", { name: info.updatedByName, time }) : t("certificateText.text.conflictUnknown")}
        </Text>
        <Button size="xs" variant="default" onClick={onReload} disabled={!known}>
          {t("certificateText.text.reload")}
        </Button>
      </Stack>
    </Alert>
  );
}
