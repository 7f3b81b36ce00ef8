import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { AuthorityKind, ExitReason, Salutation } from "../../../gen/zeugo/v1/employees_pb.js";
import {
  CertificateContentSchema,
  CertificateKind,
  InterimReason,
  UpdateCertificateSectionRequestSchema,
} from "../../../gen/zeugo/v1/certificates_pb.js";
import { validateMessage } from "../../../lib/validation.js";
import {
  authoritiesProto,
  authoritiesValues,
  certificateDataProto,
  certificateDataValues,
  companyProto,
  companyValues,
  furtherProto,
  performanceProto,
  performanceValues,
  personalProto,
  personalValues,
  tasksProto,
  textListProto,
  trainingsProto,
  trainingsValues,
} from "./mapping.js";
import { ratingRules } from "./ratings.js";

const content = create(CertificateContentSchema, {
  personal: { salutation: Salutation.FRAU, firstName: "Jürgen", lastName: "Müller-Lüdenscheidt", birthDate: "1980-02-29", printBirth: true },
  company: { companyId: "", city: "Leipzig", headCount: 0 },
  certificateData: { entryDate: "2015-03-01", exitDate: "2024-12-31", exitReason: ExitReason.OWN_WISH },
  trainings: { trainings: [{ title: "Scrum Master", provider: "", year: 2021 }, { title: "Excel", provider: "VHS", year: 0 }] },
  authorities: { authorities: [{ kind: AuthorityKind.PROKURA, name: "", sinceDate: "2020-01-01" }] },
  performance: { willingness: 1, results: 2, leadership: 3, exam: 0, overall: 0 },
});

describe("section values", () => {
  it("round-trip: the values of a section give back the same section", () => {
    expect(personalProto(personalValues(content)).value).toEqual({
      salutation: Salutation.FRAU,
      title: "",
      firstName: "Jürgen",
      lastName: "Müller-Lüdenscheidt",
      birthDate: "1980-02-29",
      birthplace: "",
      printBirth: true,
    });
    expect(trainingsProto(trainingsValues(content)).value).toEqual({
      trainings: [
        { title: "Scrum Master", provider: "", year: 2021 },
        { title: "Excel", provider: "VHS", year: 0 },
      ],
    });
    expect(authoritiesProto(authoritiesValues(content)).value).toEqual({
      authorities: [{ kind: AuthorityKind.PROKURA, name: "", sinceDate: "2020-01-01" }],
    });
  });

  it("keeps 0 and unset numbers as empty inputs and reads them back as 0", () => {
    const v = companyValues(content);
    expect(v.headCount).toBe("");
    expect(trainingsValues(content).trainings[1]?.year).toBe("");
    expect(companyProto({ ...v, headCount: " 250 " }).value).toMatchObject({ headCount: 250, city: "Leipzig" });
    expect(companyProto({ ...v, headCount: "" }).value).toMatchObject({ headCount: 0 });
  });

  it("sends what an interim certificate has and drops what it has not", () => {
    const v = { ...certificateDataValues(content), interimReason: String(InterimReason.PROMOTION), issueDate: "2024-06-30" };
    expect(certificateDataProto(v, CertificateKind.INTERIM).value).toEqual({
      entryDate: "2015-03-01",
      exitDate: "",
      issueDate: "2024-06-30",
      exitReason: ExitReason.UNSPECIFIED,
      interimReason: InterimReason.PROMOTION,
      discloseReason: false,
    });
    expect(certificateDataProto(v, CertificateKind.FINAL).value).toMatchObject({
      exitDate: "2024-12-31",
      exitReason: ExitReason.OWN_WISH,
      interimReason: InterimReason.UNSPECIFIED,
    });
  });

  it("drops the team size without a leader and the chamber outside an apprenticeship", () => {
    const v = { leader: false, teamSize: "12", externalParties: " Kunden ", examChamber: "IHK", takenOn: true };
    expect(furtherProto(v, CertificateKind.FINAL).value).toEqual({ leader: false, teamSize: 0, externalParties: "Kunden", examChamber: "", takenOn: false });
    expect(furtherProto({ ...v, leader: true }, CertificateKind.APPRENTICESHIP).value).toEqual({
      leader: true,
      teamSize: 12,
      externalParties: "Kunden",
      examChamber: "IHK",
      takenOn: true,
    });
  });

  it("sends 0 for every rating the rules do not offer", () => {
    const v = performanceValues(content);
    expect(v.leadership).toBe("3");
    expect(performanceProto(v, ratingRules(CertificateKind.FINAL, false)).value).toMatchObject({ willingness: 1, results: 2, leadership: 0 });
    expect(performanceProto(v, ratingRules(CertificateKind.FINAL, true)).value).toMatchObject({ leadership: 3 });
    expect(performanceProto({ ...v, exam: "2" }, ratingRules(CertificateKind.INTERIM, true)).value).toMatchObject({ exam: 0 });
    expect(Object.values(performanceProto(v, ratingRules(CertificateKind.SIMPLE, true)).value ?? {}).every((g) => g === 0)).toBe(true);
  });

  it("orders ticked templates as the job profile lists them and drops empty free-text rows", () => {
    expect(tasksProto({ profileTaskIds: ["c", "a", "c", "x"], tasks: [" Eins ", "", "  "] }, ["a", "b", "c"]).value).toEqual({
      profileTaskIds: ["a", "c", "x"],
      tasks: ["Eins"],
    });
    expect(textListProto({ items: ["", " Ersthelferin "] }, "additionalTasks")).toEqual({ case: "additionalTasks", value: { items: ["Ersthelferin"] } });
  });

  it("names a violation by the form's path after the section", () => {
    const section = certificateDataProto({ ...certificateDataValues(content), entryDate: "1.3.2015" }, CertificateKind.FINAL);
    const { violations } = validateMessage(UpdateCertificateSectionRequestSchema, { id: "0190a3c2-8a1b-7c3d-9e4f-000000000001", version: 1n, section });
    expect(violations.map((v) => [v.field, v.ruleId])).toEqual([["certificateData.entryDate", "string.pattern"]]);
  });
});
