import { describe, expect, it } from "vitest";
import { CertificateStatus as S } from "../../../gen/zeugo/v1/certificates_pb.js";
import { isBack, transitionLabelKey } from "./transitions.js";

describe("transition labels", () => {
  it("name forward moves by their goal and backward moves as going back", () => {
    expect(transitionLabelKey(S.DRAFT, S.IN_PROGRESS)).toBe("certificateText.actions.toInProgress");
    expect(transitionLabelKey(S.DRAFT, S.REVIEW)).toBe("certificateText.actions.toReview");
    expect(transitionLabelKey(S.REVIEW, S.IN_PROGRESS)).toBe("certificateText.actions.backToInProgress");
    expect(transitionLabelKey(S.COMPLETED, S.REVIEW)).toBe("certificateText.actions.backToReview");
    expect(transitionLabelKey(S.REVIEW, S.COMPLETED)).toBe("certificateText.actions.toCompleted");
    expect(transitionLabelKey(S.COMPLETED, S.ISSUED)).toBe("certificateText.actions.toIssued");
    expect(isBack(S.ISSUED, S.DRAFT)).toBe(true);
    expect(isBack(S.DRAFT, S.ISSUED)).toBe(false);
  });
});
