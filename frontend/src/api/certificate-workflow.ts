// connect-query hooks for the text and the workflow of a certificate:
// generate, check (the live pane), save the result section, status moves,
// private flag, correction, deletion, PDF download, history and change log.
// Mutations invalidate every CertificateService query through the
// descriptor's query key, the same key the editor's own hooks use, so the
// editor, the list and these tabs refetch without sharing code.
import type { DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { keepPreviousData } from "@tanstack/react-query";
import {
  CertificateService,
  type FieldChange,
  type ListCertificateChangesResponse,
  type ResultParagraphSchema,
} from "../gen/zeugo/v1/certificates_pb.js";
import { useInvalidateService } from "./invalidate.js";
import { usePagedQuery, type PagedRequest } from "./paging.js";

const m = CertificateService.method;

/** ParagraphInit is one paragraph as sent to the checker or saved. */
export type ParagraphInit = MessageInitShape<typeof ResultParagraphSchema>;

/** useGenerateText writes the text from the sections (GenerateCertificateText). */
export function useGenerateText() {
  const invalidate = useInvalidateService(CertificateService);
  return useMutation(m.generateCertificateText, { onSuccess: () => invalidate() });
}

/**
 * useTextCheck reads unsaved paragraphs against the certificate's ratings
 * (CheckCertificateText). The previous reading stays on screen while the
 * next one loads, so the marks do not flicker while typing.
 */
export function useTextCheck(id: string, paragraphs: ParagraphInit[], enabled: boolean) {
  return useQuery(m.checkCertificateText, { id, paragraphs }, { enabled, placeholderData: keepPreviousData });
}

/** useSaveResult saves the result section (UpdateCertificateSection with `result`). */
export function useSaveResult() {
  const invalidate = useInvalidateService(CertificateService);
  const mutation = useMutation(m.updateCertificateSection, { onSuccess: () => invalidate() });
  return {
    ...mutation,
    /** save sends the paragraphs based on the section's version as read. */
    save: (id: string, version: bigint, paragraphs: ParagraphInit[]) =>
      mutation.mutateAsync({ id, version, section: { case: "result", value: { paragraphs } } }),
    /** refresh reloads the certificate (after a conflict). */
    refresh: () => invalidate(),
  };
}

/** useTransition moves the certificate in the workflow. */
export function useTransition() {
  const invalidate = useInvalidateService(CertificateService);
  return useMutation(m.transitionCertificate, { onSuccess: () => invalidate() });
}

/** useSetPrivate marks the certificate private or public. */
export function useSetPrivate() {
  const invalidate = useInvalidateService(CertificateService);
  return useMutation(m.setCertificatePrivate, { onSuccess: () => invalidate() });
}

/** useCorrect starts a correction of an issued certificate. */
export function useCorrect() {
  const invalidate = useInvalidateService(CertificateService);
  return useMutation(m.correctCertificate, { onSuccess: () => invalidate() });
}

/**
 * useDownload fetches the PDF (an audited access each time). A mutation,
 * not a query: every download is a deliberate act and must not be cached
 * or refetched behind the user's back.
 */
export function useDownload() {
  return useMutation(m.downloadCertificate);
}

/** useHistory is the workflow history, oldest first. */
export function useHistory(id: string) {
  return useQuery(m.listCertificateHistory, { id });
}

/**
 * The change log pages by token but has no order or search of its own
 * (newest first, always). The paged-query hook sends an order and a
 * direction with every request; the server ignores fields the message does
 * not have, so the method is viewed as a paged one.
 */
type ChangesRequest = PagedRequest & { id: string };
const listChanges = m.listCertificateChanges as unknown as DescMethodUnary<
  GenMessage<ChangesRequest>,
  GenMessage<ListCertificateChangesResponse>
>;

/** useChangeLog pages through the change log, newest first. */
export function useChangeLog(id: string) {
  return usePagedQuery<ChangesRequest, ListCertificateChangesResponse, FieldChange>(listChanges, { id } as never, {
    rows: (res) => res.changes,
    orderBy: 0,
  });
}
