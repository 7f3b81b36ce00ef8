// Placeholder until the spa-text branch (the real text pane) is merged.
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";

/** ResultPane is replaced by spa-text's text pane at merge. */
export function ResultPane(_: { certificate: Certificate }) {
  return null;
}
