// The new secret of an authenticator app: as a QR code to scan (drawn
// here as SVG; nothing is fetched) and as text to type in by hand.
import { ActionIcon, Box, Code, CopyButton, Group, Stack, Text, Tooltip } from "@mantine/core";
import { QRCodeSVG } from "qrcode.react";
import { useTranslation } from "react-i18next";
import type { TotpEnrollment } from "../../gen/zeugo/v1/auth_pb.js";
import { IconCopy } from "../../components/icons.js";
import { groupSecret } from "./codes.js";

/** TotpSecret shows the QR code of the otpauth URI and the secret in groups of four. */
export function TotpSecret({ enrollment }: { enrollment: TotpEnrollment }) {
  const { t } = useTranslation();
  const grouped = groupSecret(enrollment.secret);
  return (
    <Stack gap="sm" align="center">
      <Box p="sm" bg="white" bd="1px solid var(--mantine-color-gray-3)" style={{ borderRadius: "var(--mantine-radius-md)", lineHeight: 0 }}>
        <QRCodeSVG value={enrollment.otpauthUri} size={176} level="M" marginSize={0} title={t("mfa.enroll.qrTitle")} data-testid="totp-qr" />
      </Box>
      <Text size="sm" c="dimmed" ta="center">
        {t("mfa.enroll.manual")}
      </Text>
      <Group gap="xs" wrap="nowrap" justify="center">
        <Code fz="md" px="sm" py={6} data-testid="totp-secret" aria-label={t("mfa.enroll.secret")} style={{ wordBreak: "break-word", textAlign: "center" }}>
          {grouped}
        </Code>
        <CopyButton value={enrollment.secret}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t("mfa.copied") : t("mfa.enroll.copySecret")} withArrow>
              <ActionIcon variant="subtle" color={copied ? "teal" : "gray"} onClick={copy} aria-label={t("mfa.enroll.copySecret")}>
                <IconCopy size={16} />
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
