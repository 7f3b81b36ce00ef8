// What the principal may do with employees; the server checks every call again.
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import type { Principal } from "../../gen/zeugo/v1/auth_pb.js";
import { hasArea } from "../../lib/access.js";

/** canEditEmployees: create, change and delete employees (area Mitarbeiter). */
export function canEditEmployees(principal: Principal): boolean {
  return !principal.tenantReadOnly && hasArea(principal, Area.EMPLOYEES);
}

/** canUsePrivacy: the data subject's rights and legal holds (area Datenschutz). */
export function canUsePrivacy(principal: Principal): boolean {
  return !principal.tenantReadOnly && hasArea(principal, Area.PRIVACY);
}
