// connect-query hooks for SelfServiceService: the public request form
// (no session) and HR's inbox and form settings (area Self-Service).
// Mutations invalidate every cached query of the service, so the inbox,
// the open request and the forms refetch.
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { CertificateService } from "../gen/zeugo/v1/certificates_pb.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import {
  SelfServiceRequestOrder,
  SelfServiceRequestState,
  SelfServiceService,
} from "../gen/zeugo/v1/selfservice_pb.js";
import { useInvalidateService } from "./invalidate.js";
import { usePagedQuery } from "./paging.js";

const m = SelfServiceService.method;

/** usePublicForm describes a published form; an unknown one stays unknown, so it is not retried. */
export function usePublicForm(formId: string) {
  return useQuery(m.getSelfServiceForm, { formId }, { retry: false, staleTime: Infinity, refetchOnWindowFocus: false });
}

export function useStartRequest() {
  return useMutation(m.startSelfServiceRequest);
}

export function useConfirmRequest() {
  return useMutation(m.confirmSelfServiceRequest);
}

/** useSelfServiceInbox pages through the requests in state (UNSPECIFIED: all), newest first. */
export function useSelfServiceInbox(state: SelfServiceRequestState) {
  return usePagedQuery(
    m.listSelfServiceRequests,
    { state },
    {
      rows: (res) => res.requests,
      orderBy: SelfServiceRequestOrder.CREATE_TIME,
      direction: SortDirection.DESCENDING,
      orderField: "order",
      // The inbox has no search.
      searchInput: () => ({}),
    },
  );
}

export function useSelfServiceRequest(id: string | undefined) {
  return useQuery(m.getSelfServiceRequest, { id: id ?? "" }, { enabled: id !== undefined && id !== "" });
}

export function useSelfServiceForms() {
  return useQuery(m.listSelfServiceForms, {});
}

export function useCreateForm() {
  const invalidate = useInvalidateService(SelfServiceService);
  return useMutation(m.createSelfServiceForm, { onSuccess: () => invalidate() });
}

export function useUpdateForm() {
  const invalidate = useInvalidateService(SelfServiceService);
  return useMutation(m.updateSelfServiceForm, { onSuccess: () => invalidate() });
}

export function useRotateForm() {
  const invalidate = useInvalidateService(SelfServiceService);
  return useMutation(m.rotateSelfServiceForm, { onSuccess: () => invalidate() });
}

export function useDeleteForm() {
  const invalidate = useInvalidateService(SelfServiceService);
  return useMutation(m.deleteSelfServiceForm, { onSuccess: () => invalidate() });
}

/** useConvertRequest also refreshes the certificates (a draft was created). */
export function useConvertRequest() {
  const invalidate = useInvalidateService(SelfServiceService);
  const invalidateCertificates = useInvalidateService(CertificateService);
  return useMutation(m.convertSelfServiceRequest, {
    onSuccess: () => Promise.all([invalidate(), invalidateCertificates()]),
  });
}

export function useDeclineRequest() {
  const invalidate = useInvalidateService(SelfServiceService);
  return useMutation(m.declineSelfServiceRequest, { onSuccess: () => invalidate() });
}
