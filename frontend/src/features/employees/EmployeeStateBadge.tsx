import { Badge } from "@mantine/core";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { EmployeeState } from "../../gen/zeugo/v1/employees_pb.js";

/** EmployeeStateBadge shows whether the employment lasts (aktiv) or has ended (ausgeschieden). */
export function EmployeeStateBadge({ state }: { state: EmployeeState }) {
  const { t } = useTranslation();
  if (state === EmployeeState.UNSPECIFIED) return null;
  const left = state === EmployeeState.LEFT;
  return (
    // Dark text on the light colour: above 4.5:1 (WCAG AA), as the users' state badges.
    <Badge color={left ? "gray" : "green"} variant="light" size="sm" style={darkText}>
      {t(left ? "employees.states.left" : "employees.states.active")}
    </Badge>
  );
}

/** Dark text on a light badge colour: above 4.5:1 (WCAG AA). */
export const darkText = { "--badge-color": "var(--mantine-color-dark-7)" } as CSSProperties;
