// One place that turns protovalidate violations — found by the client-side
// validator or returned by the server in a buf.validate.Violations error
// detail — into messages next to form fields.
import {
  create,
  getOption,
  type DescField,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import type { Path } from "@bufbuild/protobuf/reflect";
import { ConnectError } from "@connectrpc/connect";
import { createValidator, type Violation } from "@bufbuild/protovalidate";
import {
  field as fieldRulesExtension,
  ViolationsSchema,
  type FieldPathElement,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import type { TFunction } from "i18next";

/** FieldViolation is one broken rule, independent of where it was detected. */
export type FieldViolation = {
  /** Dotted path of generated TypeScript field names, e.g. "fields.vatId"; "" for the message itself. */
  field: string;
  /** The protovalidate rule id, e.g. "string.max_len", or a domain id like "zeugo.unique". */
  ruleId: string;
  /** The rule's limit where it has one (e.g. "200" for max_len), for the message. */
  limit?: string;
  /** The validator's or server's own (English) message; only a fallback. */
  message: string;
};

const validator = createValidator();

/**
 * validateMessage checks a request against the rules declared in the .proto
 * files — the same rules the server's interceptor enforces.
 */
export function validateMessage<Desc extends DescMessage>(
  schema: Desc,
  init: MessageInitShape<Desc>,
): { message: MessageShape<Desc>; violations: FieldViolation[] } {
  const message = create(schema, init);
  const result = validator.validate(schema, message);
  switch (result.kind) {
    case "valid":
      return { message, violations: [] };
    case "invalid":
      return { message, violations: result.violations.map(fromClientViolation) };
    default:
      // A rule the validator cannot evaluate is a programming error; let the
      // server decide rather than blocking the user.
      console.error("validation rules could not be evaluated", result.error);
      return { message, violations: [] };
  }
}

function fromClientViolation(v: Violation): FieldViolation {
  const last = lastField(v.field);
  return {
    field: pathToString(v.field),
    ruleId: v.ruleId,
    limit: last ? ruleLimit(last, v.ruleId) : undefined,
    message: v.message,
  };
}

function lastField(path: Path): DescField | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const item = path[i];
    if (item && item.kind === "field") return item;
  }
  return undefined;
}

function pathToString(path: Path): string {
  const parts: string[] = [];
  for (const item of path) {
    switch (item.kind) {
      case "field":
        parts.push(item.localName);
        break;
      case "extension":
        parts.push(`[${item.typeName}]`);
        break;
      case "list_sub":
        parts.push(String(item.index));
        break;
      case "map_sub":
        parts.push(String(item.key));
        break;
      case "oneof":
        break;
    }
  }
  return parts.join(".");
}

/** ruleLimit reads the value of a standard rule, e.g. max_len: 200, from the field's options. */
export function ruleLimit(field: DescField, ruleId: string): string | undefined {
  const dot = ruleId.indexOf(".");
  if (dot < 0) return undefined;
  const group = ruleId.slice(0, dot);
  const name = snakeToCamel(ruleId.slice(dot + 1));
  const rules = getOption(field, fieldRulesExtension);
  if (rules.type.case !== group) return undefined;
  const value = (rules.type.value as unknown as Record<string, unknown>)[name];
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "string" && value !== "") return value;
  return undefined;
}

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * violationsFromError extracts the field violations a server sent with an
 * InvalidArgument (or domain) error. The schema is the request message; it
 * turns proto field names into TypeScript names and supplies rule limits.
 */
export function violationsFromError(err: unknown, schema?: DescMessage): FieldViolation[] {
  if (!(err instanceof ConnectError)) return [];
  const out: FieldViolation[] = [];
  for (const detail of err.findDetails(ViolationsSchema)) {
    for (const v of detail.violations) {
      const resolved = resolveServerPath(schema, v.field?.elements ?? []);
      const limit = resolved.field ? ruleLimit(resolved.field, v.ruleId) : undefined;
      out.push({
        field: resolved.path,
        ruleId: v.ruleId,
        limit: limit ?? limitFromMessage(v.ruleId, v.message),
        message: v.message,
      });
    }
  }
  return out;
}

function resolveServerPath(
  schema: DescMessage | undefined,
  elements: FieldPathElement[],
): { path: string; field?: DescField } {
  const parts: string[] = [];
  let current: DescMessage | undefined = schema;
  let field: DescField | undefined;
  for (const el of elements) {
    // A domain check names a list item inside the name: "interruptions[0]".
    const indexed = /^(.+)\[(\d+)\]$/.exec(el.fieldName);
    const fieldName = indexed ? (indexed[1] ?? "") : el.fieldName;
    const found: DescField | undefined = current?.fields.find(
      (f) => (fieldName !== "" && f.name === fieldName) || (el.fieldNumber !== 0 && f.number === el.fieldNumber),
    );
    field = found;
    parts.push(found ? found.localName : snakeToCamel(fieldName || String(el.fieldNumber)));
    if (indexed) parts.push(indexed[2] ?? "");
    switch (el.subscript.case) {
      case "index":
      case "intKey":
      case "uintKey":
      case "stringKey":
      case "boolKey":
        parts.push(String(el.subscript.value));
        break;
      default:
        break;
    }
    current = found?.message;
  }
  return { path: parts.join("."), field };
}

function limitFromMessage(ruleId: string, message: string): string | undefined {
  if (!/(len|bytes|items|gt|gte|lt|lte|const)$/.test(ruleId)) return undefined;
  return /(-?\d+)/.exec(message)?.[1];
}

/**
 * violationMessage is the text a person reads next to a field: a
 * field-specific hint where one exists (patterns), otherwise the rule's text.
 */
export function violationMessage(v: FieldViolation, t: TFunction): string {
  const leaf = v.field.split(".").pop() ?? "";
  if (v.ruleId === "string.min_len" && v.limit === "1") return t("validation.rule.required");
  const specific = `validation.field.${leaf}.${v.ruleId}`;
  if (leaf !== "" && t(specific, { defaultValue: "" }) !== "") return t(specific, { limit: v.limit });
  const general = `validation.rule.${v.ruleId}`;
  const text = t(general, { limit: v.limit ?? "", defaultValue: "" });
  if (text !== "" && typeof text === "string") return text;
  return t("validation.rule.invalid");
}

/** FormErrors splits violations into those a form can show at a field and the rest. */
export type FormErrors = {
  fields: Record<string, string>;
  other: string[];
};

/**
 * toFormErrors maps violations to form field errors. `prefix` is stripped
 * from paths (e.g. "fields." when the form edits CompanyFields); `known`
 * lists the form's field names — anything else goes to `other`. The first
 * violation of a field wins.
 */
export function toFormErrors(
  violations: FieldViolation[],
  t: TFunction,
  options: { prefix?: string; known: readonly string[] },
): FormErrors {
  const out: FormErrors = { fields: {}, other: [] };
  // An empty required field breaks several rules (min_len and pattern); the
  // person needs to hear "required" first.
  const ordered = [...violations].sort((a, b) => priority(a) - priority(b));
  for (const v of ordered) {
    let name = v.field;
    if (options.prefix && name.startsWith(options.prefix)) name = name.slice(options.prefix.length);
    const text = violationMessage(v, t);
    if (options.known.includes(name)) {
      if (!(name in out.fields)) out.fields[name] = text;
    } else {
      out.other.push(text);
    }
  }
  return out;
}

function priority(v: FieldViolation): number {
  if (v.ruleId === "required" || (v.ruleId === "string.min_len" && v.limit === "1")) return 0;
  if (v.ruleId === "string.email_empty") return 0;
  return 1;
}
