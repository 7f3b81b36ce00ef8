// What the signed-in principal may see and do in the SPA. The server checks
// every call again; this only hides what a role cannot use.
import { Area } from "../gen/zeugo/v1/access_pb.js";
import type { Principal } from "../gen/zeugo/v1/auth_pb.js";

/** hasArea: Administrator implies every area (SPEC §3.2). */
export function hasArea(principal: Principal, area: Area): boolean {
  return principal.areas.includes(Area.ADMINISTRATOR) || principal.areas.includes(area);
}

/**
 * hasAnyArea: the rule of a read (zeugo.v1.access lists the areas of which
 * one suffices); no areas means any signed-in principal.
 */
export function hasAnyArea(principal: Principal, areas: readonly Area[]): boolean {
  return areas.length === 0 || areas.some((area) => hasArea(principal, area));
}

/** canEditStructure: create, change and delete companies and units. */
export function canEditStructure(principal: Principal): boolean {
  return !principal.tenantReadOnly && hasArea(principal, Area.COMPANY_STRUCTURE);
}

/** displayName is how the header names the user. */
export function displayName(principal: Principal): string {
  const name = `${principal.firstName} ${principal.lastName}`.trim();
  return name !== "" ? name : principal.email;
}
