// The save flow of the user and role dialogs, whose values are not all
// strings (lists of ids, a switch, a set of areas), so they cannot use
// useEntityForm: validate the request with the proto's rules → send →
// server violations next to their fields → Aborted as the conflict alert →
// anything else as a form-level message. The same functions underneath.
import type { UseFormReturnType } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { showFormErrors, showSaveError } from "../../lib/form.js";
import type { SaveCall } from "../../lib/use-entity-form.js";
import type { TFunction } from "i18next";
import { errorMessage } from "../../lib/errors.js";
import { toFormErrors, violationMessage, violationsFromError } from "../../lib/validation.js";

/**
 * actionErrorMessage is the text of a failed action without a form (a
 * confirmed state change, a delete): the server's rule where it named one
 * (e.g. the last administrator), otherwise the message of the code.
 */
export function actionErrorMessage(err: unknown, t: TFunction): string {
  const [first] = violationsFromError(err);
  return first ? violationMessage(first, t) : errorMessage(err, t);
}

export type SaveForm = {
  saving: boolean;
  conflict: boolean;
  formError: string | undefined;
  clearAlerts: () => void;
  /** run validates and sends call; true when it was saved. */
  run: (call: SaveCall) => Promise<boolean>;
};

/** useSaveForm runs one save of form with the error handling of every edit form. */
export function useSaveForm<V extends Record<string, unknown>>(
  form: UseFormReturnType<V>,
  fieldOrder: readonly string[],
): SaveForm {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [formError, setFormError] = useState<string | undefined>();
  const order = fieldOrder as readonly (keyof V & string)[];
  const run = async (call: SaveCall): Promise<boolean> => {
    setFormError(undefined);
    setConflict(false);
    if (call.violations.length > 0) {
      const errors = toFormErrors(call.violations, t, { prefix: "fields.", known: fieldOrder });
      if (!showFormErrors(form, errors, order)) setFormError(errors.other.join(" ") || t("common.formHasErrors"));
      return false;
    }
    setSaving(true);
    try {
      await call.send();
      return true;
    } catch (err) {
      showSaveError(err, { form, schema: call.schema, order, t, setFormError, setConflict });
      return false;
    } finally {
      setSaving(false);
    }
  };
  return {
    saving,
    conflict,
    formError,
    run,
    clearAlerts: () => {
      setConflict(false);
      setFormError(undefined);
    },
  };
}
