// Where the checker's findings stand in a paragraph. The checker names the
// words it found (`fragment`) as they stand in the text; the live pane marks
// them there. A paragraph is its running text plus its list items ("parts");
// a fragment is looked up part by part, a second finding of the same words
// takes their next occurrence, and what cannot be found (the text changed
// since it was read) is reported so the list can still show it.

/** FindingKind is how the checker classifies a finding. */
export type FindingKind = "code" | "grade" | "gender" | "tense" | "missing" | string;

/** Needle is one finding to place: its index in the check's findings and its words. */
export type Needle = { id: number; kind: FindingKind; fragment: string };

/** Range is a placed finding: [start, end) in part `part` (0 = the text, 1.. = items). */
export type Range = { id: number; kind: FindingKind; part: number; start: number; end: number };

/** Segment is a run of a part's text covered by the same findings (none: plain text). */
export type Segment = { text: string; ids: number[]; kind?: FindingKind };

/** severity orders kinds for the colour of overlapping marks: a coded phrase weighs most. */
const severity: Record<string, number> = { code: 4, grade: 3, gender: 2, tense: 2 };

/** strongestKind is the kind whose colour a run covered by several findings gets. */
export function strongestKind(kinds: FindingKind[]): FindingKind | undefined {
  let best: FindingKind | undefined;
  for (const k of kinds) {
    if (best === undefined || (severity[k] ?? 1) > (severity[best] ?? 1)) best = k;
  }
  return best;
}

/**
 * locate places each needle in the parts. Exact words first, then ignoring
 * case (a sentence start capitalises); an occurrence already taken by an
 * equal fragment is skipped, so two findings of the same words mark both.
 */
export function locate(parts: string[], needles: Needle[]): { ranges: Range[]; unplaced: Needle[] } {
  const ranges: Range[] = [];
  const unplaced: Needle[] = [];
  const taken = new Set<string>();
  const lower = parts.map((p) => p.toLocaleLowerCase("de"));
  for (const n of needles) {
    const words = n.fragment.trim();
    if (words === "") {
      unplaced.push(n);
      continue;
    }
    const found = find(parts, words, taken) ?? find(lower, words.toLocaleLowerCase("de"), taken);
    if (!found) {
      unplaced.push(n);
      continue;
    }
    taken.add(`${found.part}:${found.start}:${words.length}`);
    ranges.push({ id: n.id, kind: n.kind, part: found.part, start: found.start, end: found.start + words.length });
  }
  return { ranges, unplaced };
}

function find(parts: string[], words: string, taken: Set<string>): { part: number; start: number } | undefined {
  for (let part = 0; part < parts.length; part++) {
    const text = parts[part] ?? "";
    let from = 0;
    for (;;) {
      const start = text.indexOf(words, from);
      if (start < 0) break;
      if (!taken.has(`${part}:${start}:${words.length}`)) return { part, start };
      from = start + 1;
    }
  }
  return undefined;
}

/**
 * segments cuts a part's text at every range boundary; each run lists the
 * findings covering it, so overlapping fragments mark their common words
 * once, in the colour of the weightier kind.
 */
export function segments(text: string, ranges: Range[]): Segment[] {
  const cuts = new Set<number>([0, text.length]);
  for (const r of ranges) {
    cuts.add(Math.max(0, Math.min(r.start, text.length)));
    cuts.add(Math.max(0, Math.min(r.end, text.length)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i] ?? 0;
    const to = points[i + 1] ?? 0;
    if (to <= from) continue;
    const covering = ranges.filter((r) => r.start <= from && r.end >= to);
    const seg: Segment = { text: text.slice(from, to), ids: covering.map((r) => r.id) };
    const kind = strongestKind(covering.map((r) => r.kind));
    if (kind !== undefined) seg.kind = kind;
    // Neighbouring runs with the same findings read as one mark.
    const last = out[out.length - 1];
    if (last && sameIds(last.ids, seg.ids)) last.text += seg.text;
    else out.push(seg);
  }
  return out;
}

function sameIds(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
