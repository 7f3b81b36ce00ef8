// The section forms' values and their mapping to and from the proto
// sections. A form keeps what a Select or SegmentedControl edits as a
// string (enums and grades as their number, dates as YYYY-MM-DD) and lists
// in the shape of the proto, so a violation's path after the section
// ("signatories.0.employeeId") is also the form field's path.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { AuthorityKind, ExitReason, Salutation } from "../../../gen/zeugo/v1/employees_pb.js";
import {
  CertificateKind,
  CertificateSection,
  InterimReason,
  type CertificateContent,
  type UpdateCertificateSectionRequestSchema,
} from "../../../gen/zeugo/v1/certificates_pb.js";
import { categoryAllowed, conductCategories, performanceCategories, type RatingRules } from "./ratings.js";

/** SectionKey names an input section as the update request's oneof does. */
export type SectionKey =
  | "data"
  | "personal"
  | "company"
  | "certificateData"
  | "further"
  | "signatures"
  | "career"
  | "stations"
  | "tasks"
  | "additionalTasks"
  | "trainings"
  | "authorities"
  | "performance"
  | "conduct"
  | "qualifications"
  | "successes";

/** The input sections in the editor's order, with their enum value. */
export const inputSections: readonly { key: SectionKey; section: CertificateSection }[] = [
  { key: "data", section: CertificateSection.DATA },
  { key: "personal", section: CertificateSection.PERSONAL },
  { key: "company", section: CertificateSection.COMPANY },
  { key: "certificateData", section: CertificateSection.CERTIFICATE_DATA },
  { key: "further", section: CertificateSection.FURTHER },
  { key: "signatures", section: CertificateSection.SIGNATURES },
  { key: "career", section: CertificateSection.CAREER },
  { key: "stations", section: CertificateSection.STATIONS },
  { key: "tasks", section: CertificateSection.TASKS },
  { key: "additionalTasks", section: CertificateSection.ADDITIONAL_TASKS },
  { key: "trainings", section: CertificateSection.TRAININGS },
  { key: "authorities", section: CertificateSection.AUTHORITIES },
  { key: "performance", section: CertificateSection.PERFORMANCE },
  { key: "conduct", section: CertificateSection.CONDUCT },
  { key: "qualifications", section: CertificateSection.QUALIFICATIONS },
  { key: "successes", section: CertificateSection.SUCCESSES },
];

/** SectionInit is the proto init of the section named by key. */
export type SectionInit = NonNullable<MessageInitShape<typeof UpdateCertificateSectionRequestSchema>["section"]>;

const num = (n: number | undefined) => String(n ?? 0);
const intOf = (s: string) => {
  const n = Number(s.trim());
  return Number.isFinite(n) ? Math.trunc(n) : 0;
};
const optionalNumber = (n: number | undefined) => (n ? String(n) : "");

export type DataValues = { kind: string; language: string; jobProfileId: string; jobTitle: string };
export type PersonalValues = {
  salutation: string;
  title: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  birthplace: string;
  printBirth: boolean;
};
export type CompanyValues = { companyId: string; description: string; industry: string; city: string; headCount: string };
export type CertificateDataValues = {
  entryDate: string;
  exitDate: string;
  issueDate: string;
  exitReason: string;
  interimReason: string;
  discloseReason: boolean;
};
export type FurtherValues = { leader: boolean; teamSize: string; externalParties: string; examChamber: string; takenOn: boolean };
export type SignatoryValues = { employeeId: string; function: string; name: string };
export type SignaturesValues = { signatories: SignatoryValues[] };
export type PositionValues = { fromDate: string; toDate: string; title: string; department: string };
export type CareerValues = { positions: PositionValues[] };
export type StationValues = { fromDate: string; toDate: string; department: string };
export type StationsValues = { stations: StationValues[] };
export type TasksValues = { profileTaskIds: string[]; tasks: string[] };
export type TextListValues = { items: string[] };
export type TrainingValues = { title: string; provider: string; year: string };
export type TrainingsValues = { trainings: TrainingValues[] };
export type AuthorityValues = { kind: string; name: string; sinceDate: string };
export type AuthoritiesValues = { authorities: AuthorityValues[] };
export type PerformanceValues = Record<(typeof performanceCategories)[number] | "overall", string>;
export type ConductValues = Record<(typeof conductCategories)[number], string>;
export type QualificationsValues = { personalAttributeIds: string[]; professionalAttributeIds: string[] };

export const emptyPosition: PositionValues = { fromDate: "", toDate: "", title: "", department: "" };
export const emptyStation: StationValues = { fromDate: "", toDate: "", department: "" };
export const emptyTraining: TrainingValues = { title: "", provider: "", year: "" };
export const emptyAuthority: AuthorityValues = { kind: String(AuthorityKind.PROKURA), name: "", sinceDate: "" };
export const emptySignatory: SignatoryValues = { employeeId: "", function: "", name: "" };

export function dataValues(c: CertificateContent): DataValues {
  const d = c.data;
  return {
    kind: num(d?.kind ?? CertificateKind.FINAL),
    language: d?.language || "de",
    jobProfileId: d?.jobProfileId ?? "",
    jobTitle: d?.jobTitle ?? "",
  };
}

export function dataProto(v: DataValues): SectionInit {
  return {
    case: "data",
    value: { kind: Number(v.kind) as CertificateKind, language: v.language, jobProfileId: v.jobProfileId, jobTitle: v.jobTitle.trim() },
  };
}

export function personalValues(c: CertificateContent): PersonalValues {
  const p = c.personal;
  return {
    salutation: num(p?.salutation),
    title: p?.title ?? "",
    firstName: p?.firstName ?? "",
    lastName: p?.lastName ?? "",
    birthDate: p?.birthDate ?? "",
    birthplace: p?.birthplace ?? "",
    printBirth: p?.printBirth ?? false,
  };
}

export function personalProto(v: PersonalValues): SectionInit {
  return {
    case: "personal",
    value: {
      salutation: Number(v.salutation) as Salutation,
      title: v.title.trim(),
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
      birthDate: v.birthDate,
      birthplace: v.birthplace.trim(),
      printBirth: v.printBirth,
    },
  };
}

export function companyValues(c: CertificateContent): CompanyValues {
  const co = c.company;
  return {
    companyId: co?.companyId ?? "",
    description: co?.description ?? "",
    industry: co?.industry ?? "",
    city: co?.city ?? "",
    headCount: optionalNumber(co?.headCount),
  };
}

export function companyProto(v: CompanyValues): SectionInit {
  return {
    case: "company",
    value: {
      companyId: v.companyId,
      description: v.description.trim(),
      industry: v.industry.trim(),
      city: v.city.trim(),
      headCount: intOf(v.headCount),
    },
  };
}

export function certificateDataValues(c: CertificateContent): CertificateDataValues {
  const d = c.certificateData;
  return {
    entryDate: d?.entryDate ?? "",
    exitDate: d?.exitDate ?? "",
    issueDate: d?.issueDate ?? "",
    exitReason: num(d?.exitReason),
    interimReason: num(d?.interimReason),
    discloseReason: d?.discloseReason ?? false,
  };
}

/**
 * certificateDataProto leaves out what the kind does not have (an interim
 * certificate has no exit date or reason, the others no occasion), so a
 * changed kind does not leave a value behind the server refuses.
 */
export function certificateDataProto(v: CertificateDataValues, kind: CertificateKind): SectionInit {
  const interim = kind === CertificateKind.INTERIM;
  return {
    case: "certificateData",
    value: {
      entryDate: v.entryDate,
      exitDate: interim ? "" : v.exitDate,
      issueDate: v.issueDate,
      exitReason: interim ? ExitReason.UNSPECIFIED : (Number(v.exitReason) as ExitReason),
      interimReason: interim ? (Number(v.interimReason) as InterimReason) : InterimReason.UNSPECIFIED,
      discloseReason: v.discloseReason,
    },
  };
}

export function furtherValues(c: CertificateContent): FurtherValues {
  const f = c.further;
  return {
    leader: f?.leader ?? false,
    teamSize: optionalNumber(f?.teamSize),
    externalParties: f?.externalParties ?? "",
    examChamber: f?.examChamber ?? "",
    takenOn: f?.takenOn ?? false,
  };
}

/** furtherProto drops the team size without a leader and the apprenticeship fields of other kinds. */
export function furtherProto(v: FurtherValues, kind: CertificateKind): SectionInit {
  const apprentice = kind === CertificateKind.APPRENTICESHIP;
  return {
    case: "further",
    value: {
      leader: v.leader,
      teamSize: v.leader ? intOf(v.teamSize) : 0,
      externalParties: v.externalParties.trim(),
      examChamber: apprentice ? v.examChamber.trim() : "",
      takenOn: apprentice && v.takenOn,
    },
  };
}

export function signaturesValues(c: CertificateContent): SignaturesValues {
  return {
    signatories: (c.signatures?.signatories ?? []).map((s) => ({ employeeId: s.employeeId, function: s.function, name: s.name })),
  };
}

export function signaturesProto(v: SignaturesValues): SectionInit {
  return {
    case: "signatures",
    value: { signatories: v.signatories.map((s) => ({ employeeId: s.employeeId, function: s.function.trim() })) },
  };
}

export function careerValues(c: CertificateContent): CareerValues {
  return {
    positions: (c.career?.positions ?? []).map((p) => ({ fromDate: p.fromDate, toDate: p.toDate, title: p.title, department: p.department })),
  };
}

export function careerProto(v: CareerValues): SectionInit {
  return {
    case: "career",
    value: { positions: v.positions.map((p) => ({ ...p, title: p.title.trim(), department: p.department.trim() })) },
  };
}

export function stationsValues(c: CertificateContent): StationsValues {
  return { stations: (c.stations?.stations ?? []).map((s) => ({ fromDate: s.fromDate, toDate: s.toDate, department: s.department })) };
}

export function stationsProto(v: StationsValues): SectionInit {
  return { case: "stations", value: { stations: v.stations.map((s) => ({ ...s, department: s.department.trim() })) } };
}

export function tasksValues(c: CertificateContent): TasksValues {
  return { profileTaskIds: [...(c.tasks?.profileTaskIds ?? [])], tasks: [...(c.tasks?.tasks ?? [])] };
}

/** tasksProto keeps the chosen templates in the profile's order and drops empty free-text rows. */
export function tasksProto(v: TasksValues, profileOrder: readonly string[]): SectionInit {
  const rank = (id: string) => {
    const i = profileOrder.indexOf(id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return {
    case: "tasks",
    value: {
      profileTaskIds: [...new Set(v.profileTaskIds)].sort((a, b) => rank(a) - rank(b)),
      tasks: v.tasks.map((s) => s.trim()).filter((s) => s !== ""),
    },
  };
}

export function textListValues(c: CertificateContent, key: "additionalTasks" | "successes"): TextListValues {
  return { items: [...(c[key]?.items ?? [])] };
}

export function textListProto(v: TextListValues, key: "additionalTasks" | "successes"): SectionInit {
  return { case: key, value: { items: v.items.map((s) => s.trim()).filter((s) => s !== "") } };
}

export function trainingsValues(c: CertificateContent): TrainingsValues {
  return {
    trainings: (c.trainings?.trainings ?? []).map((t) => ({ title: t.title, provider: t.provider, year: optionalNumber(t.year) })),
  };
}

export function trainingsProto(v: TrainingsValues): SectionInit {
  return {
    case: "trainings",
    value: { trainings: v.trainings.map((t) => ({ title: t.title.trim(), provider: t.provider.trim(), year: intOf(t.year) })) },
  };
}

export function authoritiesValues(c: CertificateContent): AuthoritiesValues {
  return {
    authorities: (c.authorities?.authorities ?? []).map((a) => ({ kind: num(a.kind), name: a.name, sinceDate: a.sinceDate })),
  };
}

export function authoritiesProto(v: AuthoritiesValues): SectionInit {
  return {
    case: "authorities",
    value: {
      authorities: v.authorities.map((a) => ({
        kind: Number(a.kind) as AuthorityKind,
        name: Number(a.kind) === AuthorityKind.OTHER ? a.name.trim() : "",
        sinceDate: a.sinceDate,
      })),
    },
  };
}

export function performanceValues(c: CertificateContent): PerformanceValues {
  const p = c.performance;
  return {
    willingness: num(p?.willingness),
    ability: num(p?.ability),
    knowledge: num(p?.knowledge),
    learning: num(p?.learning),
    workingStyle: num(p?.workingStyle),
    results: num(p?.results),
    leadership: num(p?.leadership),
    exam: num(p?.exam),
    overall: num(p?.overall),
  };
}

/**
 * performanceProto sends 0 ("not rated") for every category the rules do
 * not offer, so a grade left from before (e.g. the leader flag was
 * removed) never reaches the server as a rating the kind has not.
 */
export function performanceProto(v: PerformanceValues, rules: RatingRules): SectionInit {
  const g = (c: keyof PerformanceValues) => (categoryAllowed(rules, c) ? Number(v[c]) || 0 : 0);
  return {
    case: "performance",
    value: {
      willingness: g("willingness"),
      ability: g("ability"),
      knowledge: g("knowledge"),
      learning: g("learning"),
      workingStyle: g("workingStyle"),
      results: g("results"),
      leadership: g("leadership"),
      exam: g("exam"),
      overall: g("overall"),
    },
  };
}

export function conductValues(c: CertificateContent): ConductValues {
  return { internal: num(c.conduct?.internal), external: num(c.conduct?.external) };
}

export function conductProto(v: ConductValues, rules: RatingRules): SectionInit {
  const g = (s: string) => (rules.none ? 0 : Number(s) || 0);
  return { case: "conduct", value: { internal: g(v.internal), external: g(v.external) } };
}

export function qualificationsValues(c: CertificateContent): QualificationsValues {
  return {
    personalAttributeIds: [...(c.qualifications?.personalAttributeIds ?? [])],
    professionalAttributeIds: [...(c.qualifications?.professionalAttributeIds ?? [])],
  };
}

export function qualificationsProto(v: QualificationsValues): SectionInit {
  return {
    case: "qualifications",
    value: { personalAttributeIds: [...v.personalAttributeIds], professionalAttributeIds: [...v.professionalAttributeIds] },
  };
}

/** move returns list with the entry at from moved to to (up/down buttons). */
export { move } from "../../employees/form.js";
