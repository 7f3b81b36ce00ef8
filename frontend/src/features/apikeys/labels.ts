// How services, scopes and states of API keys read in the UI.
import type { TFunction } from "i18next";
import { ApiKeyAccess, ApiKeyState, type ApiKeyScope } from "../../gen/zeugo/v1/apikeys_pb.js";

/** serviceLabel names a service by its scope name ("organization" → "Unternehmensstruktur"). */
export function serviceLabel(t: TFunction, s: { service: string; serviceFullName?: string }): string {
  return t(`apikeys.services.${s.service}`, { defaultValue: s.serviceFullName || s.service });
}

/** scopesText lists a key's scopes, e.g. "Unternehmensstruktur: Lesen". */
export function scopesText(t: TFunction, scopes: ApiKeyScope[]): string {
  return scopes
    .map((s) => `${serviceLabel(t, s)}: ${t(s.access === ApiKeyAccess.WRITE ? "apikeys.access.write" : "apikeys.access.read")}`)
    .join(", ");
}

/** stateOf is a key's state label and colour. */
export function stateOf(t: TFunction, state: ApiKeyState): { label: string; color: string } {
  switch (state) {
    case ApiKeyState.ACTIVE:
      return { label: t("apikeys.state.active"), color: "green" };
    case ApiKeyState.EXPIRED:
      return { label: t("apikeys.state.expired"), color: "gray" };
    case ApiKeyState.REVOKED:
      return { label: t("apikeys.state.revoked"), color: "red" };
    default:
      return { label: "", color: "gray" };
  }
}
