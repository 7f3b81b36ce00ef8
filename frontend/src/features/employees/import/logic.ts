// The import wizard's rules that need no screen: which files may be
// uploaded, the column mapping and how problems read in the UI language.
import { ImportField, type ImportColumn, type ImportProblem } from "../../../gen/zeugo/v1/employees_pb.js";

/** The largest file the server takes (ImportFile.content max_len). */
export const maxImportBytes = 20 * 1024 * 1024;

/** The file types the import reads. */
export const acceptedExtensions = [".csv", ".txt", ".xlsx"] as const;

/** The accept attribute of the file input. */
export const acceptAttribute =
  ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export type FileRefusal = "tooLarge" | "empty" | "type";

/** refuseFile says why a chosen file cannot be imported, before any upload. */
export function refuseFile(file: { name: string; size: number }): FileRefusal | undefined {
  const name = file.name.toLowerCase();
  if (!acceptedExtensions.some((ext) => name.endsWith(ext))) return "type";
  if (file.size > maxImportBytes) return "tooLarge";
  if (file.size === 0) return "empty";
  return undefined;
}

/** The fields a column can fill, in the order the mapping offers them. */
export const importFields: ImportField[] = [
  ImportField.PERSONNEL_NUMBER,
  ImportField.SALUTATION,
  ImportField.TITLE,
  ImportField.FIRST_NAME,
  ImportField.LAST_NAME,
  ImportField.BIRTH_DATE,
  ImportField.BIRTHPLACE,
  ImportField.STREET,
  ImportField.POSTCODE,
  ImportField.CITY,
  ImportField.EMAIL,
  ImportField.COMPANY,
  ImportField.LOCATION,
  ImportField.DEPARTMENT,
  ImportField.ORG_UNIT,
  ImportField.EMPLOYEE_TYPE,
  ImportField.ENTRY_DATE,
  ImportField.EXIT_DATE,
  ImportField.JOB_TITLE,
  ImportField.TASKS,
];

/** The fields every file must fill. */
export const requiredFields: ImportField[] = [ImportField.PERSONNEL_NUMBER, ImportField.FIRST_NAME, ImportField.LAST_NAME];

/** fieldKey is the i18n key of a field's name ("employeeImport.fields.FIRST_NAME"). */
export function fieldKey(field: ImportField): string {
  return `employeeImport.fields.${ImportField[field]}`;
}

export type Mapping = { index: number; header: string; field: ImportField }[];

/** mappingOf copies the server's columns into the wizard's state. */
export function mappingOf(columns: ImportColumn[]): Mapping {
  return columns.map((c) => ({ index: c.index, header: c.header, field: c.field }));
}

/**
 * assign maps column index to field; a field fills one column only, so any
 * other column that had it is cleared.
 */
export function assign(mapping: Mapping, index: number, field: ImportField): Mapping {
  return mapping.map((c) => {
    if (c.index === index) return { ...c, field };
    if (field !== ImportField.UNSPECIFIED && c.field === field) return { ...c, field: ImportField.UNSPECIFIED };
    return c;
  });
}

/** missingRequired lists the required fields no column fills. */
export function missingRequired(mapping: Mapping): ImportField[] {
  return requiredFields.filter((f) => !mapping.some((c) => c.field === f));
}

/** problemText is a problem's message in the UI language (German unless English). */
export function problemText(p: Pick<ImportProblem, "messageDe" | "messageEn">, language: string): string {
  return language.startsWith("en") ? p.messageEn || p.messageDe : p.messageDe || p.messageEn;
}

/** percent is how far a commit is, 0–100. */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}

/** formatDate writes an ISO date (YYYY-MM-DD) as German or English dates read. */
export function formatDate(iso: string, language: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return language.startsWith("en") ? `${m[1]}-${m[2]}-${m[3]}` : `${m[3]}.${m[2]}.${m[1]}`;
}
