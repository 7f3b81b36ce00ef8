// connect-query hooks for MailTemplateService (area E-Mail-Vorlagen) and
// MailSenderService (area Individualisierung).
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { MailSenderService, MailTemplateService } from "../gen/zeugo/v1/mail_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { PreviewMailTemplateRequestSchema } from "../gen/zeugo/v1/mail_pb.js";

const tm = MailTemplateService.method;
const sm = MailSenderService.method;

export function useMailTemplates() {
  return useQuery(tm.listMailTemplates, {});
}

function useInvalidateTemplates() {
  const queryClient = useQueryClient();
  return () =>
    queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: tm.listMailTemplates, cardinality: undefined }) });
}

export function useUpdateMailTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation(tm.updateMailTemplate, { onSuccess: invalidate });
}

export function useResetMailTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation(tm.resetMailTemplate, { onSuccess: invalidate });
}

/** usePreviewMailTemplate renders the (debounced) content; undefined: nothing to render. */
export function usePreviewMailTemplate(input: MessageInitShape<typeof PreviewMailTemplateRequestSchema> | undefined) {
  return useQuery(tm.previewMailTemplate, input ?? {}, { enabled: input !== undefined, retry: false, placeholderData: (prev) => prev });
}

/** useSendTestMail sends a template to the caller's own address. */
export function useSendTestMail() {
  return useMutation(tm.sendTestMailTemplate);
}

export function useMailSender() {
  return useQuery(sm.getMailSender, {});
}

export function useUpdateMailSender() {
  const queryClient = useQueryClient();
  return useMutation(sm.updateMailSender, {
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: MailSenderService, cardinality: undefined }) }),
  });
}
