// Placeholder until the spa-text branch (the real workflow actions) is merged.
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";

/** StatusActions is replaced by spa-text's workflow actions at merge. */
export function StatusActions(_: { certificate: Certificate }) {
  return null;
}
