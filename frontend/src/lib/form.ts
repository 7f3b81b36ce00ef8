// Connects validation results to a Mantine form: errors next to their fields,
// focus on the first field that needs attention.
import type { UseFormReturnType } from "@mantine/form";
import type { FormErrors } from "./validation.js";

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
