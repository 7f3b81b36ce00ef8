import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { CertificateStatus } from "../../gen/zeugo/v1/certificates_pb.js";
import { darkText } from "../employees/EmployeeStateBadge.js";
import { statusColor, statusName } from "./options.js";

/** CertificateStatusBadge shows the workflow state in its colour. */
export function CertificateStatusBadge({ status }: { status: CertificateStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor(status)} variant="light" style={darkText}>
      {statusName(status, t)}
    </Badge>
  );
}
