// Connects validation results to a Mantine form: errors next to their fields,
// focus on the first field that needs attention.
import type { DescMessage } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import type { UseFormReturnType } from "@mantine/form";
import type { TFunction } from "i18next";
import { errorMessage, isCode } from "./errors.js";
import { toFormErrors, violationsFromError, type FormErrors } from "./validation.js";

/**
 * showFormErrors sets the field errors on the form and focuses the first
 * invalid field in the order given (the visual order of the form). Returns
 * whether any field error was shown.
 */
export function showFormErrors<V extends Record<string, unknown>>(
  form: UseFormReturnType<V>,
  errors: FormErrors,
  order: readonly (keyof V & string)[],
): boolean {
  form.setErrors(errors.fields);
  const first = order.find((name) => name in errors.fields);
  if (first) {
    const node = form.getInputNode(first as never);
    node?.focus();
  }
  return first !== undefined;
}

/**
 * showSaveError presents a failed save of an edit form: field violations
 * from the server (protovalidate rules, `zeugo.unique`) next to their fields
 * under `fields.`, a concurrent change (Aborted) as the conflict alert, and
 * anything else as a form-level message.
 */
export function showSaveError<V extends Record<string, unknown>>(
  err: unknown,
  opts: {
    form: UseFormReturnType<V>;
    schema: DescMessage;
    order: readonly (keyof V & string)[];
    t: TFunction;
    setFormError: (message: string) => void;
    setConflict: (conflict: boolean) => void;
  },
): void {
  const { form, schema, order, t, setFormError, setConflict } = opts;
  const server = violationsFromError(err, schema);
  if (server.length > 0) {
    const errors = toFormErrors(server, t, { prefix: "fields.", known: order });
    const shown = showFormErrors(form, errors, order);
    if (errors.other.length > 0 || !shown) setFormError(errors.other.join(" ") || errorMessage(err, t));
    return;
  }
  if (isCode(err, Code.Aborted)) setConflict(true);
  else setFormError(errorMessage(err, t));
}
