// The enum choices of the employee form, with their i18n keys.
import type { TFunction } from "i18next";
import { AuthorityKind, ExitReason, InterruptionReason, Salutation } from "../../gen/zeugo/v1/employees_pb.js";
import type { Choice } from "./org-choices.js";

const salutations: [Salutation, string][] = [
  [Salutation.HERR, "herr"],
  [Salutation.FRAU, "frau"],
  [Salutation.DIVERS, "divers"],
  [Salutation.UNSPECIFIED, "none"],
];

const exitReasons: [ExitReason, string][] = [
  [ExitReason.UNSPECIFIED, "none"],
  [ExitReason.OWN_WISH, "ownWish"],
  [ExitReason.MUTUAL, "mutual"],
  [ExitReason.END_OF_FIXED_TERM, "endOfFixedTerm"],
  [ExitReason.EMPLOYER, "employer"],
  [ExitReason.END_OF_TRAINING, "endOfTraining"],
  [ExitReason.RETIREMENT, "retirement"],
  [ExitReason.OTHER, "other"],
];

const interruptionReasons: [InterruptionReason, string][] = [
  [InterruptionReason.UNSPECIFIED, "none"],
  [InterruptionReason.PARENTAL_LEAVE, "parentalLeave"],
  [InterruptionReason.ILLNESS, "illness"],
  [InterruptionReason.SABBATICAL, "sabbatical"],
  [InterruptionReason.CARE_LEAVE, "careLeave"],
  [InterruptionReason.OTHER, "other"],
];

const authorityKinds: [AuthorityKind, string][] = [
  [AuthorityKind.PROKURA, "prokura"],
  [AuthorityKind.HANDLUNGSVOLLMACHT, "handlungsvollmacht"],
  [AuthorityKind.BANKVOLLMACHT, "bankvollmacht"],
  [AuthorityKind.OTHER, "other"],
];

const choices = (list: [number, string][], prefix: string, t: TFunction): Choice[] =>
  list.map(([value, key]) => ({ value: String(value), label: t(`employees.${prefix}.${key}`) }));

export const salutationChoices = (t: TFunction) => choices(salutations, "salutations", t);
export const exitReasonChoices = (t: TFunction) => choices(exitReasons, "exitReasons", t);
export const interruptionReasonChoices = (t: TFunction) => choices(interruptionReasons, "interruptionReasons", t);
export const authorityKindChoices = (t: TFunction) => choices(authorityKinds, "authorityKinds", t);
