import { describe, expect, it } from "vitest";
import { CertificateSection } from "../../gen/zeugo/v1/certificates_pb.js";
import { canGrantWrite, grantIndexOf, grantSections, grantsFrom, setGrant, toSectionGrants, type Grants } from "./grants.js";

describe("grant matrix", () => {
  it("has the 17 sections in the editor's order, the text last", () => {
    expect(grantSections).toHaveLength(17);
    expect(grantSections[0]?.section).toBe(CertificateSection.DATA);
    expect(grantSections[16]).toEqual({ key: "result", section: CertificateSection.RESULT });
  });

  it("ticks Lesen with Bearbeiten", () => {
    const g = setGrant({}, CertificateSection.PERFORMANCE, "write", true);
    expect(g[CertificateSection.PERFORMANCE]).toEqual({ read: true, write: true });
  });

  it("unticks Bearbeiten with Lesen, and keeps Lesen when Bearbeiten goes", () => {
    let g: Grants = setGrant({}, CertificateSection.CONDUCT, "write", true);
    expect(setGrant(g, CertificateSection.CONDUCT, "write", false)[CertificateSection.CONDUCT]).toEqual({ read: true, write: false });
    g = setGrant(g, CertificateSection.CONDUCT, "read", false);
    expect(g[CertificateSection.CONDUCT]).toEqual({ read: false, write: false });
  });

  it("never grants Bearbeiten on Unternehmen or Unterschriften", () => {
    expect(canGrantWrite(CertificateSection.COMPANY)).toBe(false);
    expect(canGrantWrite(CertificateSection.SIGNATURES)).toBe(false);
    expect(canGrantWrite(CertificateSection.PERFORMANCE)).toBe(true);
    const g = setGrant({}, CertificateSection.SIGNATURES, "write", true);
    expect(g[CertificateSection.SIGNATURES]).toBeUndefined();
    // Even a matrix read back with write on a read-only section sends read only.
    expect(toSectionGrants({ [CertificateSection.COMPANY]: { read: true, write: true } })).toEqual([
      { section: CertificateSection.COMPANY, read: true, write: false },
    ]);
  });

  it("sends the granted rows in section order, without empty ones, write with read", () => {
    let g: Grants = {};
    g = setGrant(g, CertificateSection.PERFORMANCE, "write", true);
    g = setGrant(g, CertificateSection.DATA, "read", true);
    g = setGrant(g, CertificateSection.TASKS, "read", true);
    g = setGrant(g, CertificateSection.TASKS, "read", false);
    expect(toSectionGrants(g)).toEqual([
      { section: CertificateSection.DATA, read: true, write: false },
      { section: CertificateSection.PERFORMANCE, read: true, write: true },
    ]);
    // A violation on grants[1] is the performance row.
    expect(grantIndexOf(g, 1)).toBe(CertificateSection.PERFORMANCE);
  });

  it("reads a handover's grants back, write implying read", () => {
    expect(grantsFrom([{ section: CertificateSection.RESULT, read: false, write: true }])).toEqual({
      [CertificateSection.RESULT]: { read: true, write: true },
    });
  });
});
