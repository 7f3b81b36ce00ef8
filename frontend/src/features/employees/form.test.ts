import { create, toBinary } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { ConnectError } from "@connectrpc/connect";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import { describe, expect, it } from "vitest";
import {
  AuthorityKind,
  EmployeeFieldsSchema,
  ExitReason,
  InterruptionReason,
  Salutation,
  UpdateEmployeeRequestSchema,
} from "../../gen/zeugo/v1/employees_pb.js";
import { createI18n } from "../../i18n/index.js";
import { toFormErrors, validateMessage, violationsFromError } from "../../lib/validation.js";
import { formatDate, parseDate } from "./dates.js";
import { displayName, emptyValues, fieldOrder, fieldsOf, listName, move, valuesOf } from "./form.js";

const stored = create(EmployeeFieldsSchema, {
  salutation: Salutation.HERR,
  title: "Dr.",
  firstName: "Jürgen",
  lastName: "Müller-Lüdenscheidt",
  birthDate: "1980-02-29",
  birthplace: "Lüdenscheid",
  street: "Hauptstraße 1",
  postcode: "58507",
  city: "Lüdenscheid",
  email: "juergen@muster.example",
  personnelNumber: "P-0042",
  companyId: "00000000-0000-7000-8000-0000000000c1",
  entryDate: "2010-04-01",
  exitDate: "2025-12-31",
  exitReason: ExitReason.OWN_WISH,
  jobTitle: "Leiter Einkauf",
  tasks: ["Einkauf steuern", "Lieferanten bewerten"],
  interruptions: [{ fromDate: "2015-01-01", toDate: "2015-12-31", reason: InterruptionReason.PARENTAL_LEAVE, note: "auf Wunsch" }],
  authorities: [
    { kind: AuthorityKind.PROKURA, sinceDate: "2018-07-01" },
    { kind: AuthorityKind.OTHER, name: "Einkaufsvollmacht" },
  ],
});

describe("employee form values", () => {
  it("round-trips stored fields through the form unchanged", () => {
    const values = valuesOf(stored);
    expect(values.salutation).toBe(String(Salutation.HERR));
    expect(values.interruptions[0]).toEqual({ fromDate: "2015-01-01", toDate: "2015-12-31", reason: "1", note: "auf Wunsch" });
    expect(values.authorities[1]).toEqual({ kind: String(AuthorityKind.OTHER), name: "Einkaufsvollmacht", sinceDate: "" });
    const back = create(EmployeeFieldsSchema, fieldsOf(values));
    expect(back).toEqual(stored);
  });

  it("trims text, keeps the name of 'other' authorities only, and starts empty", () => {
    const fields = fieldsOf({
      ...valuesOf(undefined),
      firstName: "  Erika ",
      lastName: "Muster ",
      personnelNumber: " 17 ",
      tasks: [" Buchhaltung "],
      authorities: [{ kind: String(AuthorityKind.PROKURA), name: "übrig", sinceDate: "" }],
    });
    expect(fields).toMatchObject({ firstName: "Erika", lastName: "Muster", personnelNumber: "17", tasks: ["Buchhaltung"] });
    expect(fields.authorities?.[0]).toMatchObject({ kind: AuthorityKind.PROKURA, name: "" });
    expect(valuesOf(undefined)).toEqual(emptyValues);
    expect(valuesOf(undefined).tasks).not.toBe(emptyValues.tasks);
  });

  it("lists every field in visual order, list rows included", () => {
    const order = fieldOrder(valuesOf(stored));
    expect(order.slice(0, 4)).toEqual(["salutation", "title", "firstName", "lastName"]);
    expect(order).toContain("tasks.1");
    expect(order).toContain("interruptions.0.toDate");
    expect(order).toContain("authorities.1.name");
    expect(order.indexOf("jobTitle")).toBeLessThan(order.indexOf("tasks.0"));
  });

  it("moves list rows", () => {
    expect(move(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(move(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(move(["a"], 0, 3)).toEqual(["a"]);
  });

  it("names people as lists and sentences do", () => {
    expect(listName(stored)).toBe("Müller-Lüdenscheidt, Jürgen");
    expect(listName({ firstName: "", lastName: "Muster" })).toBe("Muster");
    expect(displayName(stored)).toBe("Dr. Jürgen Müller-Lüdenscheidt");
  });
});

describe("dates", () => {
  it("reads German and ISO dates and refuses days that do not exist", () => {
    expect(parseDate("1.2.2024")).toBe("2024-02-01");
    expect(parseDate(" 29.02.2024 ")).toBe("2024-02-29");
    expect(parseDate("2024-02-01")).toBe("2024-02-01");
    expect(parseDate("")).toBe("");
    expect(parseDate("29.02.2023")).toBeUndefined();
    expect(parseDate("31.04.2024")).toBeUndefined();
    expect(parseDate("2024-13-01")).toBeUndefined();
    expect(parseDate("morgen")).toBeUndefined();
    expect(formatDate("2024-02-01")).toBe("01.02.2024");
    expect(formatDate("")).toBe("");
    expect(formatDate("1.2.")).toBe("1.2.");
  });

  it("reports a date that was typed wrong at its field, in German", () => {
    const t = createI18n("de").t;
    const values = { ...valuesOf(stored), entryDate: "32.01.2020", interruptions: [{ fromDate: "", toDate: "x", reason: "0", note: "" }] };
    const { violations } = validateMessage(UpdateEmployeeRequestSchema, { id: "00000000-0000-7000-8000-000000000001", version: 1n, fields: fieldsOf(values) });
    const errors = toFormErrors(violations, t, { prefix: "fields.", known: fieldOrder(values) });
    expect(errors.fields.entryDate).toBe("Bitte ein gültiges Datum im Format TT.MM.JJJJ eingeben, z. B. 01.04.2024.");
    expect(errors.fields["interruptions.0.toDate"]).toBe("Bitte ein gültiges Datum im Format TT.MM.JJJJ eingeben, z. B. 01.04.2024.");
    expect(errors.fields["interruptions.0.fromDate"]).toBeDefined();
    expect(errors.other).toEqual([]);
  });
});

function serverError(code: string, fields: [string, string][]): ConnectError {
  const detail = create(ViolationsSchema, {
    violations: fields.map(([path, ruleId]) => ({ field: { elements: path.split(".").map((fieldName) => ({ fieldName })) }, ruleId })),
  });
  return errorFromJson(
    { code, message: "refused", details: [{ type: "buf.validate.Violations", value: base64Encode(toBinary(ViolationsSchema, detail), "std_raw") }] },
    undefined,
    new ConnectError("fallback"),
  );
}

describe("server violations", () => {
  it("map to the form's fields, list rows included, in German", () => {
    const t = createI18n("de").t;
    const err = serverError("invalid_argument", [
      ["fields.exit_date", "zeugo.after_entry"],
      ["fields.interruptions[0].to_date", "zeugo.after_start"],
      ["fields.authorities[1].name", "required"],
      ["fields.personnel_number", "zeugo.unique"],
    ]);
    const violations = violationsFromError(err, UpdateEmployeeRequestSchema);
    expect(violations.map((v) => v.field)).toEqual([
      "fields.exitDate",
      "fields.interruptions.0.toDate",
      "fields.authorities.1.name",
      "fields.personnelNumber",
    ]);
    const errors = toFormErrors(violations, t, { prefix: "fields.", known: fieldOrder(valuesOf(stored)) });
    expect(errors.fields).toEqual({
      exitDate: "Das Austrittsdatum darf nicht vor dem Eintrittsdatum liegen.",
      "interruptions.0.toDate": "Das Ende darf nicht vor dem Beginn liegen.",
      "authorities.1.name": "Bitte füllen Sie dieses Feld aus.",
      personnelNumber: "Diese Personalnummer ist bereits vergeben.",
    });
  });
});
