import { describe, expect, it } from "vitest";
import { ImportField } from "../../../gen/zeugo/v1/employees_pb.js";
import { assign, formatDate, maxImportBytes, missingRequired, percent, problemText, refuseFile, type Mapping } from "./logic.js";

describe("refuseFile", () => {
  it("takes CSV, text and xlsx files up to 20 MB", () => {
    expect(refuseFile({ name: "Mitarbeiter.CSV", size: 10 })).toBeUndefined();
    expect(refuseFile({ name: "export.txt", size: 10 })).toBeUndefined();
    expect(refuseFile({ name: "liste.xlsx", size: maxImportBytes })).toBeUndefined();
  });
  it("refuses larger, empty and other files before uploading", () => {
    expect(refuseFile({ name: "riesig.csv", size: maxImportBytes + 1 })).toBe("tooLarge");
    expect(refuseFile({ name: "leer.csv", size: 0 })).toBe("empty");
    expect(refuseFile({ name: "alt.xls", size: 10 })).toBe("type");
    expect(refuseFile({ name: "bild.png", size: 10 })).toBe("type");
  });
});

describe("mapping", () => {
  const mapping: Mapping = [
    { index: 0, header: "Nr", field: ImportField.PERSONNEL_NUMBER },
    { index: 1, header: "Vorname", field: ImportField.FIRST_NAME },
    { index: 2, header: "Name", field: ImportField.UNSPECIFIED },
  ];
  it("lists the required fields no column fills", () => {
    expect(missingRequired(mapping)).toEqual([ImportField.LAST_NAME]);
    expect(missingRequired(assign(mapping, 2, ImportField.LAST_NAME))).toEqual([]);
  });
  it("moves a field from the column that had it", () => {
    const m = assign(mapping, 2, ImportField.FIRST_NAME);
    expect(m.map((c) => c.field)).toEqual([ImportField.PERSONNEL_NUMBER, ImportField.UNSPECIFIED, ImportField.FIRST_NAME]);
    expect(missingRequired(m)).toEqual([ImportField.FIRST_NAME, ImportField.LAST_NAME].filter((f) => f !== ImportField.FIRST_NAME));
  });
  it("skips any number of columns", () => {
    const m = assign(assign(mapping, 0, ImportField.UNSPECIFIED), 1, ImportField.UNSPECIFIED);
    expect(m.every((c) => c.field === ImportField.UNSPECIFIED)).toBe(true);
  });
});

describe("texts", () => {
  it("shows a problem in the UI language, German by default", () => {
    const p = { messageDe: "Pflichtfeld „Vorname“ ist leer.", messageEn: 'The required field "Vorname" is empty.' };
    expect(problemText(p, "de")).toBe(p.messageDe);
    expect(problemText(p, "en-GB")).toBe(p.messageEn);
    expect(problemText({ messageDe: "nur deutsch", messageEn: "" }, "en")).toBe("nur deutsch");
  });
  it("computes the progress and formats dates", () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(500, 2000)).toBe(25);
    expect(percent(2001, 2000)).toBe(100);
    expect(formatDate("2019-04-01", "de")).toBe("01.04.2019");
    expect(formatDate("2019-04-01", "en")).toBe("2019-04-01");
    expect(formatDate("", "de")).toBe("");
  });
});
