import { Badge } from "@mantine/core";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import type { UserState } from "../../gen/zeugo/v1/users_pb.js";
import { stateInfo } from "./states.js";

/** StateBadge shows a user's state (invited, active, locked, deactivated). */
export function StateBadge({ state }: { state: UserState }) {
  const { t } = useTranslation();
  const info = stateInfo(state);
  if (!info) return null;
  return (
    // Dark text on the state's light colour: above 4.5:1 for every state (WCAG AA).
    <Badge color={info.color} variant="light" style={{ "--badge-color": "var(--mantine-color-dark-7)" } as CSSProperties}>
      {t(`users.states.${info.key}`)}
    </Badge>
  );
}

