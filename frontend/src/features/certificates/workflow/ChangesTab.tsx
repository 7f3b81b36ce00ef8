// Placeholder until the spa-text branch (the real change-log tab) is merged.

/** ChangesTab is replaced by spa-text's change-log tab at merge. */
export function ChangesTab(_: { id: string }) {
  return null;
}
