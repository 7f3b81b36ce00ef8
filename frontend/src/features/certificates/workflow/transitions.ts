// How the workflow's moves are named on their buttons (SPEC §5.2).
import { CertificateStatus } from "../../../gen/zeugo/v1/certificates_pb.js";

/** order is the forward order of the statuses; a move to an earlier one goes back. */
const order: Record<CertificateStatus, number> = {
  [CertificateStatus.UNSPECIFIED]: 0,
  [CertificateStatus.DRAFT]: 1,
  [CertificateStatus.IN_PROGRESS]: 2,
  [CertificateStatus.REVIEW]: 3,
  [CertificateStatus.COMPLETED]: 4,
  [CertificateStatus.ISSUED]: 5,
};

/** isBack: the move sends the work back (review → in progress, completed → review). */
export function isBack(from: CertificateStatus, to: CertificateStatus): boolean {
  return order[to] < order[from];
}

/** transitionLabelKey is the i18n key of the button that moves from → to. */
export function transitionLabelKey(from: CertificateStatus, to: CertificateStatus): string {
  const back = isBack(from, to);
  switch (to) {
    case CertificateStatus.IN_PROGRESS:
      return back ? "certificateText.actions.backToInProgress" : "certificateText.actions.toInProgress";
    case CertificateStatus.REVIEW:
      return back ? "certificateText.actions.backToReview" : "certificateText.actions.toReview";
    case CertificateStatus.COMPLETED:
      return "certificateText.actions.toCompleted";
    case CertificateStatus.ISSUED:
      return "certificateText.actions.toIssued";
    default:
      return `certificateText.status.${to}`;
  }
}

/** statusLabelKey is the i18n key of a status' name. */
export function statusLabelKey(status: CertificateStatus): string {
  return `certificateText.status.${status}`;
}
