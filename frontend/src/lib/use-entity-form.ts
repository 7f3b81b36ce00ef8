// One edit-form flow for every entity of every domain: trim → validate the
// request with the proto's rules (protovalidate, the same rules the server
// enforces) → save → server field violations next to their fields → a stale
// version (Aborted) as the conflict alert → anything else as a form-level
// message. Screens only say which request to send and what happens after.
import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import { useForm, type UseFormReturnType } from "@mantine/form";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { showFormErrors, showSaveError } from "./form.js";
import { toFormErrors, validateMessage, type FieldViolation } from "./validation.js";

/** SaveCall is one request, validated before it is sent. */
export type SaveCall = {
  /** The request message; its descriptor decodes the server's violations. */
  schema: DescMessage;
  violations: FieldViolation[];
  send: () => Promise<unknown>;
};

/**
 * saveCall binds a request to the mutation that sends it; the message is
 * validated against the same schema it is sent as.
 */
export function saveCall<D extends DescMessage>(
  schema: D,
  init: MessageInitShape<D>,
  send: (request: MessageInitShape<D>) => Promise<unknown>,
): SaveCall {
  return { schema, violations: validateMessage(schema, init).violations, send: () => send(init) };
}

/** The props FormAlerts needs. */
export type EntityFormAlerts = {
  conflict: boolean;
  formError: string | undefined;
  onReload: () => void;
};

/** EntityFormOptions configures useEntityForm. */
export type EntityFormOptions<V extends Record<string, string>> = {
  initialValues: V;
  /** The form's fields in visual order: focus goes to the first with an error. */
  fieldOrder: readonly (keyof V & string)[];
  /** The stored entity's values; the form is refilled whenever `key` (id + version) changes. */
  loaded?: { key: string; values: V };
  /** The request for the (trimmed) values: create or update. */
  save: (values: V) => SaveCall;
  /** After a successful save (notify, navigate, close). */
  onSaved: (values: V) => void;
  /** Loads the entity again after a conflict. */
  reload: () => void;
  /**
   * A failed save's message of the screen's own (e.g. a step-up the user
   * closed), shown above the form; undefined: the usual handling.
   */
  ownError?: (err: unknown) => string | undefined;
};

/** EntityForm is what useEntityForm gives the screen. */
export type EntityForm<V extends Record<string, string>> = {
  form: UseFormReturnType<V>;
  submit: (event?: FormEvent<HTMLFormElement>) => void;
  saving: boolean;
  alerts: EntityFormAlerts;
  /** Unsaved changes (false once saved or deleted, so leaving is not stopped). */
  isDirty: () => boolean;
  /** Marks the form as finished, e.g. after deleting the entity. */
  markDone: () => void;
};

/** Leading and trailing blanks are never meant; trimming avoids a pattern error the user cannot see. */
function trimmed<V extends Record<string, string>>(values: V): V {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === "string" ? v.trim() : v;
  return out as V;
}

/** useEntityForm runs the validate → save → errors flow of an edit form. */
export function useEntityForm<V extends Record<string, string>>(opts: EntityFormOptions<V>): EntityForm<V> {
  const { t } = useTranslation();
  const form = useForm<V>({ mode: "controlled", initialValues: opts.initialValues });
  const [formError, setFormError] = useState<string | undefined>();
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const done = useRef(false);
  const { fieldOrder, loaded, save, onSaved, reload, ownError } = opts;
  // The editable fields sit under `fields` in every create/update request
  // (as showSaveError expects for the server's violations).
  const prefix = "fields.";

  // Fill the form when the entity (or a newer version after a reload) arrives.
  const loadedKey = loaded?.key;
  useEffect(() => {
    if (loaded) {
      form.setValues(loaded.values);
      form.resetDirty(loaded.values);
    }
    // Only a new id or version refills; a re-render with equal values must not.
  }, [loadedKey]);

  const submit = form.onSubmit(async (raw) => {
    setFormError(undefined);
    setConflict(false);
    const values = trimmed(raw);
    const call = save(values);
    if (call.violations.length > 0) {
      const errors = toFormErrors(call.violations, t, { prefix, known: fieldOrder });
      if (!showFormErrors(form, errors, fieldOrder)) setFormError(errors.other.join(" ") || t("common.formHasErrors"));
      return;
    }
    setSaving(true);
    try {
      await call.send();
      done.current = true;
      onSaved(values);
    } catch (err) {
      const own = ownError?.(err);
      if (own !== undefined) {
        setFormError(own);
        return;
      }
      showSaveError(err, { form, schema: call.schema, order: fieldOrder, t, setFormError, setConflict });
    } finally {
      setSaving(false);
    }
  });

  const isDirty = useCallback(() => !done.current && form.isDirty(), [form]);
  const markDone = useCallback(() => {
    done.current = true;
  }, []);

  return {
    form,
    submit,
    saving,
    isDirty,
    markDone,
    alerts: {
      conflict,
      formError,
      onReload: () => {
        setConflict(false);
        reload();
      },
    },
  };
}
