import { Button } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { IconCertificate } from "../../components/icons.js";

/** CertificatesLink leads from an employee to their certificates (the list filtered to them). */
export function CertificatesLink({ employeeId }: { employeeId: string }) {
  const { t } = useTranslation();
  return (
    <Button
      component={Link}
      to={`/certificates?employee=${encodeURIComponent(employeeId)}`}
      variant="light"
      size="xs"
      leftSection={<IconCertificate size={14} />}
      style={{ alignSelf: "flex-start" }}
    >
      {t("certificates.employeeLink")}
    </Button>
  );
}
