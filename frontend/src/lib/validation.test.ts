import { create, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { LoginRequestSchema } from "../gen/zeugo/v1/auth_pb.js";
import { CreateCompanyRequestSchema, CreateUnitRequestSchema } from "../gen/zeugo/v1/organization_pb.js";
import { createI18n } from "../i18n/index.js";
import { toFormErrors, validateMessage, violationsFromError, type FieldViolation } from "./validation.js";

const de = createI18n("de").t;
const en = createI18n("en").t;

const companyFields = [
  "name",
  "description",
  "street",
  "postcode",
  "city",
  "country",
  "phone",
  "email",
  "website",
  "registerCourt",
  "registerNumber",
  "vatId",
  "managingDirectors",
] as const;

/** serverError builds the error exactly as it arrives over the Connect protocol. */
function serverError(code: string, violations: MessageInitShape<typeof ViolationsSchema>["violations"]): ConnectError {
  const detail = create(ViolationsSchema, { violations });
  return errorFromJson(
    {
      code,
      message: "validation failed",
      details: [{ type: "buf.validate.Violations", value: base64Encode(toBinary(ViolationsSchema, detail), "std_raw") }],
    },
    undefined,
    new ConnectError("fallback"),
  );
}

describe("validateMessage (client side, same rules as the server)", () => {
  it("accepts a valid company", () => {
    const { violations } = validateMessage(CreateCompanyRequestSchema, {
      fields: { name: "Muster GmbH", email: "info@muster.de", postcode: "80331", country: "DE", vatId: "DE123456789" },
    });
    expect(violations).toEqual([]);
  });

  it("reports field paths with TypeScript names and rule limits", () => {
    const { violations } = validateMessage(CreateCompanyRequestSchema, {
      fields: { name: "", email: "not-an-email", registerCourt: "x".repeat(101), vatId: "de 123" },
    });
    const byField = Object.fromEntries(violations.map((v) => [v.field, v]));
    const name = violations.find((v) => v.field === "fields.name" && v.ruleId === "string.min_len");
    expect(name?.limit).toBe("1");
    expect(byField["fields.email"]?.ruleId).toBe("string.email");
    expect(byField["fields.registerCourt"]?.ruleId).toBe("string.max_len");
    expect(byField["fields.registerCourt"]?.limit).toBe("100");
    expect(byField["fields.vatId"]?.ruleId).toBe("string.pattern");
  });

  it("leaves an empty optional email alone", () => {
    const { violations } = validateMessage(CreateCompanyRequestSchema, { fields: { name: "Muster GmbH", email: "" } });
    expect(violations).toEqual([]);
  });

  it("prefers 'required' over other rules of an empty field", () => {
    const { violations } = validateMessage(CreateCompanyRequestSchema, { fields: { name: "" } });
    expect(violations.map((v) => v.ruleId).sort()).toEqual(["string.min_len", "string.pattern"]);
    const out = toFormErrors(violations, de, { prefix: "fields.", known: companyFields });
    expect(out.fields).toEqual({ name: "Bitte füllen Sie dieses Feld aus." });
  });

  it("flags a login without email", () => {
    const { violations } = validateMessage(LoginRequestSchema, { email: "", password: "" });
    const fields = toFormErrors(violations, de, { known: ["email", "password"] }).fields;
    expect(fields.email).toBe("Bitte geben Sie eine E-Mail-Adresse ein.");
    expect(fields.password).toBe("Bitte füllen Sie dieses Feld aus.");
  });
});

describe("toFormErrors", () => {
  it("turns client violations into German and English field messages", () => {
    const { violations } = validateMessage(CreateCompanyRequestSchema, {
      fields: { name: " Muster", email: "nope", city: "x".repeat(101), country: "de" },
    });
    const deErr = toFormErrors(violations, de, { prefix: "fields.", known: companyFields });
    expect(deErr.fields).toEqual({
      name: "Der Name darf nicht mit einem Leerzeichen beginnen oder enden.",
      email: "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@firma.de.",
      city: "Bitte geben Sie höchstens 100 Zeichen ein.",
      country: "Bitte zwei Großbuchstaben eingeben, z. B. DE oder AT.",
    });
    expect(deErr.other).toEqual([]);
    const enErr = toFormErrors(violations, en, { prefix: "fields.", known: companyFields });
    expect(enErr.fields.city).toBe("Please enter at most 100 characters.");
  });

  it("keeps the first violation per field and reports unknown fields separately", () => {
    const v: FieldViolation[] = [
      { field: "fields.name", ruleId: "string.max_len", limit: "200", message: "" },
      { field: "fields.name", ruleId: "string.pattern", message: "" },
      { field: "version", ruleId: "int64.gt", limit: "0", message: "" },
      { field: "", ruleId: "some.custom", message: "" },
    ];
    const out = toFormErrors(v, de, { prefix: "fields.", known: companyFields });
    expect(out.fields).toEqual({ name: "Bitte geben Sie höchstens 200 Zeichen ein." });
    expect(out.other).toEqual(["Der Wert muss größer als 0 sein.", "Dieser Wert ist ungültig."]);
  });
});

describe("violationsFromError (server side)", () => {
  it("decodes protovalidate violations with field numbers and names", () => {
    const err = serverError("invalid_argument", [
      {
        ruleId: "string.email",
        message: "value must be a valid email address",
        field: {
          elements: [
            { fieldNumber: 1, fieldName: "fields" },
            { fieldNumber: 7, fieldName: "email" },
          ],
        },
      },
      {
        ruleId: "string.max_len",
        message: "value length must be at most 50 characters",
        field: {
          elements: [{ fieldNumber: 1, fieldName: "fields" }, { fieldNumber: 10, fieldName: "register_number" }],
        },
      },
    ]);
    const v = violationsFromError(err, CreateCompanyRequestSchema);
    expect(v.map((x) => [x.field, x.ruleId, x.limit])).toEqual([
      ["fields.email", "string.email", undefined],
      ["fields.registerNumber", "string.max_len", "50"],
    ]);
    const out = toFormErrors(v, de, { prefix: "fields.", known: companyFields });
    expect(out.fields.email).toMatch(/gültige E-Mail-Adresse/);
    expect(out.fields.registerNumber).toBe("Bitte geben Sie höchstens 50 Zeichen ein.");
  });

  it("shows the domain rule zeugo.unique next to the name field", () => {
    const err = serverError("already_exists", [
      {
        ruleId: "zeugo.unique",
        message: "name is already taken",
        field: { elements: [{ fieldName: "fields" }, { fieldName: "name" }] },
      },
    ]);
    const out = toFormErrors(violationsFromError(err, CreateUnitRequestSchema), de, { prefix: "fields.", known: ["name", "description"] });
    expect(out.fields).toEqual({ name: "Dieser Name ist bereits vergeben. Bitte wählen Sie einen anderen." });
  });

  it("works without a schema and takes limits from the message", () => {
    const err = serverError("invalid_argument", [
      {
        ruleId: "string.max_len",
        message: "value length must be at most 100 characters",
        field: { elements: [{ fieldName: "fields" }, { fieldName: "register_court" }] },
      },
    ]);
    const v = violationsFromError(err);
    expect(v).toEqual([
      { field: "fields.registerCourt", ruleId: "string.max_len", limit: "100", message: "value length must be at most 100 characters" },
    ]);
  });

  it("returns nothing for errors without violations", () => {
    expect(violationsFromError(new Error("x"))).toEqual([]);
    expect(violationsFromError(serverError("internal", []))).toEqual([]);
  });
});
