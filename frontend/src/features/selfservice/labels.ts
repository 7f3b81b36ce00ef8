// The names of self-service states and request facts, with their i18n keys.
import type { TFunction } from "i18next";
import { SelfServiceRequestState } from "../../gen/zeugo/v1/selfservice_pb.js";
import { formatDate } from "../employees/dates.js";

/** The states in the inbox's filter order, with the colour of their badge. */
export const states: readonly [SelfServiceRequestState, string, string][] = [
  [SelfServiceRequestState.OPEN, "open", "blue"],
  [SelfServiceRequestState.CONVERTED, "converted", "green"],
  [SelfServiceRequestState.DECLINED, "declined", "gray"],
];

export function stateName(state: SelfServiceRequestState, t: TFunction): string {
  const key = states.find(([s]) => s === state)?.[1];
  return key ? t(`selfservice.states.${key}`) : "–";
}

export function stateColor(state: SelfServiceRequestState): string {
  return states.find(([s]) => s === state)?.[2] ?? "gray";
}

/** wishedDate is the requested date as people read it, "–" when none. */
export function wishedDate(date: string): string {
  return date ? formatDate(date) : "–";
}

/** formUrl is the public address of a form. */
export function formUrl(publicId: string, origin: string = window.location.origin): string {
  return `${origin}/s/${publicId}`;
}
