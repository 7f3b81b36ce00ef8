// Success messages after an action. The close button needs an accessible
// name in the UI language, which Mantine does not provide by default.
import { notifications } from "@mantine/notifications";
import type { TFunction } from "i18next";

export function notifySuccess(t: TFunction, message: string): void {
  notifications.show({
    color: "green",
    message,
    closeButtonProps: { "aria-label": t("common.close") },
  });
}
