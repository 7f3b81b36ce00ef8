import { describe, expect, it } from "vitest";
import { locate, segments, strongestKind } from "./highlight.js";

describe("locate", () => {
  it("places a fragment in the text and in a list item", () => {
    const { ranges, unplaced } = locate(
      ["Sie war stets bemüht, die Aufgaben zu erledigen.", "Pflege der Kundendaten", "Er erledigte die Ablage"],
      [
        { id: 0, kind: "code", fragment: "stets bemüht" },
        { id: 1, kind: "gender", fragment: "Er erledigte" },
      ],
    );
    expect(unplaced).toEqual([]);
    expect(ranges).toEqual([
      { id: 0, kind: "code", part: 0, start: 8, end: 20 },
      { id: 1, kind: "gender", part: 2, start: 0, end: 12 },
    ]);
  });

  it("falls back to a match ignoring case", () => {
    const { ranges } = locate(["Bemüht war sie stets."], [{ id: 3, kind: "code", fragment: "bemüht" }]);
    expect(ranges).toEqual([{ id: 3, kind: "code", part: 0, start: 0, end: 6 }]);
  });

  it("gives a second finding of the same words their next occurrence", () => {
    const { ranges } = locate(
      ["Er war pünktlich. Er war fleißig."],
      [
        { id: 0, kind: "gender", fragment: "Er war" },
        { id: 1, kind: "gender", fragment: "Er war" },
      ],
    );
    expect(ranges.map((r) => r.start)).toEqual([0, 18]);
  });

  it("reports fragments it cannot find, and empty ones", () => {
    const { ranges, unplaced } = locate(
      ["Sie arbeitete sorgfältig."],
      [
        { id: 0, kind: "tense", fragment: "arbeitet gern" },
        { id: 1, kind: "grade", fragment: "" },
      ],
    );
    expect(ranges).toEqual([]);
    expect(unplaced.map((n) => n.id)).toEqual([0, 1]);
  });
});

describe("segments", () => {
  it("returns the plain text without ranges", () => {
    expect(segments("Ein Satz.", [])).toEqual([{ text: "Ein Satz.", ids: [] }]);
  });

  it("cuts the text around a mark", () => {
    expect(segments("Sie war stets bemüht.", [{ id: 0, kind: "code", part: 0, start: 8, end: 20 }])).toEqual([
      { text: "Sie war ", ids: [] },
      { text: "stets bemüht", ids: [0], kind: "code" },
      { text: ".", ids: [] },
    ]);
  });

  it("splits overlapping fragments and colours the common words by the weightier kind", () => {
    const text = "Sie war stets bemüht gewesen.";
    const out = segments(text, [
      { id: 0, kind: "tense", part: 0, start: 4, end: 20 }, // "war stets bemüht"
      { id: 1, kind: "code", part: 0, start: 8, end: 28 }, // "stets bemüht gewesen"
    ]);
    expect(out).toEqual([
      { text: "Sie ", ids: [] },
      { text: "war ", ids: [0], kind: "tense" },
      { text: "stets bemüht", ids: [0, 1], kind: "code" },
      { text: " gewesen", ids: [1], kind: "code" },
      { text: ".", ids: [] },
    ]);
    expect(out.map((s) => s.text).join("")).toBe(text);
  });

  it("clamps ranges that reach past the text (it changed since the check)", () => {
    const out = segments("kurz", [{ id: 0, kind: "code", part: 0, start: 2, end: 40 }]);
    expect(out).toEqual([
      { text: "ku", ids: [] },
      { text: "rz", ids: [0], kind: "code" },
    ]);
  });
});

describe("strongestKind", () => {
  it("prefers a coded phrase over a grade over gender and tense", () => {
    expect(strongestKind(["tense", "grade"])).toBe("grade");
    expect(strongestKind(["gender", "code", "grade"])).toBe("code");
    expect(strongestKind([])).toBeUndefined();
  });
});
