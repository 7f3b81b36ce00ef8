// The employee form's values and their mapping to and from EmployeeFields.
// The form keeps every scalar as a string (enums as their number, dates as
// YYYY-MM-DD) and the lists in the shape of the proto, so that a violation's
// path ("fields.interruptions.0.toDate") is also the form field's path.
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  AuthorityKind,
  ExitReason,
  InterruptionReason,
  Salutation,
  type EmployeeFields,
  type EmployeeFieldsSchema,
} from "../../gen/zeugo/v1/employees_pb.js";

export type InterruptionValues = { fromDate: string; toDate: string; reason: string; note: string };
export type AuthorityValues = { kind: string; name: string; sinceDate: string };

export type EmployeeValues = {
  salutation: string;
  title: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  birthplace: string;
  street: string;
  postcode: string;
  city: string;
  email: string;
  personnelNumber: string;
  companyId: string;
  locationId: string;
  departmentId: string;
  orgUnitId: string;
  employeeTypeId: string;
  entryDate: string;
  exitDate: string;
  exitReason: string;
  jobTitle: string;
  tasks: string[];
  interruptions: InterruptionValues[];
  authorities: AuthorityValues[];
};

/** The scalar fields in visual order (focus goes to the first with an error). */
export const scalarFields = [
  "salutation",
  "title",
  "firstName",
  "lastName",
  "birthDate",
  "birthplace",
  "street",
  "postcode",
  "city",
  "email",
  "personnelNumber",
  "companyId",
  "locationId",
  "departmentId",
  "orgUnitId",
  "employeeTypeId",
  "entryDate",
  "exitDate",
  "exitReason",
  "jobTitle",
] as const satisfies readonly (keyof EmployeeValues)[];

/** fieldOrder is every field of values in visual order, list rows included. */
export function fieldOrder(values: EmployeeValues): string[] {
  return [
    ...scalarFields,
    ...values.tasks.map((_, i) => `tasks.${i}`),
    ...values.interruptions.flatMap((_, i) => ["fromDate", "toDate", "reason", "note"].map((f) => `interruptions.${i}.${f}`)),
    ...values.authorities.flatMap((_, i) => ["kind", "name", "sinceDate"].map((f) => `authorities.${i}.${f}`)),
  ];
}

export const emptyInterruption: InterruptionValues = {
  fromDate: "",
  toDate: "",
  reason: String(InterruptionReason.UNSPECIFIED),
  note: "",
};

export const emptyAuthority: AuthorityValues = { kind: String(AuthorityKind.PROKURA), name: "", sinceDate: "" };

export const emptyValues: EmployeeValues = {
  salutation: String(Salutation.UNSPECIFIED),
  title: "",
  firstName: "",
  lastName: "",
  birthDate: "",
  birthplace: "",
  street: "",
  postcode: "",
  city: "",
  email: "",
  personnelNumber: "",
  companyId: "",
  locationId: "",
  departmentId: "",
  orgUnitId: "",
  employeeTypeId: "",
  entryDate: "",
  exitDate: "",
  exitReason: String(ExitReason.UNSPECIFIED),
  jobTitle: "",
  tasks: [],
  interruptions: [],
  authorities: [],
};

/** valuesOf is the form's values for stored fields. */
export function valuesOf(f: EmployeeFields | undefined): EmployeeValues {
  if (!f) return { ...emptyValues, tasks: [], interruptions: [], authorities: [] };
  return {
    salutation: String(f.salutation),
    title: f.title,
    firstName: f.firstName,
    lastName: f.lastName,
    birthDate: f.birthDate,
    birthplace: f.birthplace,
    street: f.street,
    postcode: f.postcode,
    city: f.city,
    email: f.email,
    personnelNumber: f.personnelNumber,
    companyId: f.companyId,
    locationId: f.locationId,
    departmentId: f.departmentId,
    orgUnitId: f.orgUnitId,
    employeeTypeId: f.employeeTypeId,
    entryDate: f.entryDate,
    exitDate: f.exitDate,
    exitReason: String(f.exitReason),
    jobTitle: f.jobTitle,
    tasks: [...f.tasks],
    interruptions: f.interruptions.map((i) => ({
      fromDate: i.fromDate,
      toDate: i.toDate,
      reason: String(i.reason),
      note: i.note,
    })),
    authorities: f.authorities.map((a) => ({ kind: String(a.kind), name: a.name, sinceDate: a.sinceDate })),
  };
}

function enumOf<E extends number>(value: string, fallback: E): E {
  const n = Number(value);
  return (Number.isInteger(n) ? n : fallback) as E;
}

/**
 * fieldsOf is the request's EmployeeFields for the form's values: text
 * trimmed (blanks at either end are never meant) and an authority's name
 * only where the kind is "other". An empty task row stays, so the
 * validation names it rather than the save dropping it unseen.
 */
export function fieldsOf(v: EmployeeValues): MessageInitShape<typeof EmployeeFieldsSchema> {
  const trim = (s: string) => s.trim();
  return {
    salutation: enumOf<Salutation>(v.salutation, Salutation.UNSPECIFIED),
    title: trim(v.title),
    firstName: trim(v.firstName),
    lastName: trim(v.lastName),
    birthDate: trim(v.birthDate),
    birthplace: trim(v.birthplace),
    street: trim(v.street),
    postcode: trim(v.postcode),
    city: trim(v.city),
    email: trim(v.email),
    personnelNumber: trim(v.personnelNumber),
    companyId: v.companyId,
    locationId: v.locationId,
    departmentId: v.departmentId,
    orgUnitId: v.orgUnitId,
    employeeTypeId: v.employeeTypeId,
    entryDate: trim(v.entryDate),
    exitDate: trim(v.exitDate),
    exitReason: enumOf<ExitReason>(v.exitReason, ExitReason.UNSPECIFIED),
    jobTitle: trim(v.jobTitle),
    tasks: v.tasks.map(trim),
    interruptions: v.interruptions.map((i) => ({
      fromDate: trim(i.fromDate),
      toDate: trim(i.toDate),
      reason: enumOf<InterruptionReason>(i.reason, InterruptionReason.UNSPECIFIED),
      note: trim(i.note),
    })),
    authorities: v.authorities.map((a) => {
      const kind = enumOf<AuthorityKind>(a.kind, AuthorityKind.UNSPECIFIED);
      return { kind, name: kind === AuthorityKind.OTHER ? trim(a.name) : "", sinceDate: trim(a.sinceDate) };
    }),
  };
}

/** move returns list with the item at from moved to to. */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

/** listName is "Nachname, Vorname" as the list shows it. */
export function listName(f: { firstName: string; lastName: string } | undefined): string {
  if (!f) return "";
  if (f.lastName && f.firstName) return `${f.lastName}, ${f.firstName}`;
  return f.lastName || f.firstName;
}

/** displayName is "Vorname Nachname" (with title) as a sentence names the person. */
export function displayName(f: { firstName: string; lastName: string; title?: string } | undefined): string {
  if (!f) return "";
  return [f.title, f.firstName, f.lastName].filter((s) => s && s.trim() !== "").join(" ");
}
