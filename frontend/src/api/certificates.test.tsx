// @vitest-environment happy-dom
import { createRouterTransport } from "@connectrpc/connect";
import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  CertificateOrder,
  CertificateService,
  CertificateStatus,
  type ListCertificatesRequest,
} from "../gen/zeugo/v1/certificates_pb.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import { providers } from "../test/render.js";
import { useCertificateList } from "./certificates.js";

describe("useCertificateList", () => {
  it("sends the sort key as `order` and the search inside the filter, keeping the other filters", async () => {
    const requests: ListCertificatesRequest[] = [];
    const transport = createRouterTransport(({ service }) => {
      service(CertificateService, {
        listCertificates(req) {
          requests.push(req);
          return { certificates: [], page: { totalSize: 0n, nextPageToken: "" } };
        },
      });
    });
    const filter = { statuses: [CertificateStatus.REVIEW], privateOnly: true };
    const hook = renderHook(() => useCertificateList(filter), { wrapper: providers(transport) });
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({
      order: CertificateOrder.UPDATE_TIME,
      direction: SortDirection.DESCENDING,
      filter: { statuses: [CertificateStatus.REVIEW], privateOnly: true, search: "" },
    });

    act(() => hook.result.current.setQuery(" müller "));
    await waitFor(() => expect(requests.at(-1)?.filter?.search).toBe("müller"));
    act(() => hook.result.current.toggleSort(CertificateOrder.CREATE_TIME, SortDirection.DESCENDING));
    await waitFor(() => expect(requests.at(-1)?.order).toBe(CertificateOrder.CREATE_TIME));
    expect(requests.at(-1)?.filter).toMatchObject({ statuses: [CertificateStatus.REVIEW], privateOnly: true, search: "müller" });
  });
});
