// connect-query hooks for handovers (SPEC §6). HR's side: create, list,
// revoke, resend, extend; each write also invalidates the certificate's
// queries, since handing over moves it to "in progress" and the editor's
// header names who has it. The recipient's side runs over its own
// transport (features/handover/recipient-transport.ts) provided to the
// same hooks by a TransportProvider around the recipient page.
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { CertificateService } from "../gen/zeugo/v1/certificates_pb.js";
import { HandoverRecipientService, HandoverService } from "../gen/zeugo/v1/handover_pb.js";
import { useInvalidateService } from "./invalidate.js";

const m = HandoverService.method;
const r = HandoverRecipientService.method;

/** useHandovers lists a certificate's handovers, newest first. */
export function useHandovers(certificateId: string) {
  return useQuery(m.listHandovers, { certificateId }, { enabled: certificateId !== "" });
}

function useInvalidateBoth() {
  const handovers = useInvalidateService(HandoverService);
  const certificates = useInvalidateService(CertificateService);
  return () => Promise.all([handovers(), certificates()]);
}

export function useCreateHandover() {
  const invalidate = useInvalidateBoth();
  return useMutation(m.createHandover, { onSuccess: () => invalidate() });
}

export function useRevokeHandover() {
  const invalidate = useInvalidateBoth();
  return useMutation(m.revokeHandover, { onSuccess: () => invalidate() });
}

export function useResendHandover() {
  const invalidate = useInvalidateBoth();
  return useMutation(m.resendHandover, { onSuccess: () => invalidate() });
}

export function useExtendHandover() {
  const invalidate = useInvalidateBoth();
  return useMutation(m.extendHandover, { onSuccess: () => invalidate() });
}

/** useOpenHandover trades the link (and the code) for a recipient session. Public. */
export function useOpenHandover() {
  return useMutation(r.openHandover);
}

/** useMyHandover is what the recipient was given (recipient transport). */
export function useMyHandover(enabled: boolean) {
  return useQuery(r.getMyHandover, {}, { enabled, retry: false });
}

export function useCompleteHandover() {
  const invalidate = useInvalidateService(CertificateService);
  return useMutation(r.completeHandover, { onSuccess: () => invalidate() });
}

export function useEndHandoverSession() {
  return useMutation(r.endHandoverSession);
}
