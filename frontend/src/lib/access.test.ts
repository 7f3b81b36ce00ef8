import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Area } from "../gen/zeugo/v1/access_pb.js";
import { PrincipalSchema } from "../gen/zeugo/v1/auth_pb.js";
import { canEditStructure, displayName, hasArea } from "./access.js";

describe("access", () => {
  it("lets administrators and the company-structure area edit", () => {
    expect(canEditStructure(create(PrincipalSchema, { areas: [Area.ADMINISTRATOR] }))).toBe(true);
    expect(canEditStructure(create(PrincipalSchema, { areas: [Area.COMPANY_STRUCTURE] }))).toBe(true);
    expect(canEditStructure(create(PrincipalSchema, { areas: [Area.EMPLOYEES] }))).toBe(false);
    expect(hasArea(create(PrincipalSchema, { areas: [Area.ADMINISTRATOR] }), Area.PRIVACY)).toBe(true);
  });

  it("allows no changes while the tenant is read-only", () => {
    expect(canEditStructure(create(PrincipalSchema, { areas: [Area.ADMINISTRATOR], tenantReadOnly: true }))).toBe(false);
  });

  it("names the user by name, else by email", () => {
    expect(displayName(create(PrincipalSchema, { firstName: "Erika", lastName: "Muster" }))).toBe("Erika Muster");
    expect(displayName(create(PrincipalSchema, { email: "a@b.de" }))).toBe("a@b.de");
  });
});
