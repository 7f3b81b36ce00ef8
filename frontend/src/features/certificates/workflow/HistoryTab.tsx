// Placeholder until the spa-text branch (the real history tab) is merged.

/** HistoryTab is replaced by spa-text's history tab at merge. */
export function HistoryTab(_: { id: string }) {
  return null;
}
