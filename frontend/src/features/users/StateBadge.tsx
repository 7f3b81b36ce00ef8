import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { UserState } from "../../gen/zeugo/v1/users_pb.js";
import { stateInfo } from "./states.js";

/** StateBadge shows a user's state (invited, active, locked, deactivated). */
export function StateBadge({ state }: { state: UserState }) {
  const { t } = useTranslation();
  const info = stateInfo(state);
  if (!info) return null;
  return (
    <Badge color={info.color} variant="light">
      {t(`users.states.${info.key}`)}
    </Badge>
  );
}

