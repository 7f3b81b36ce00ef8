// connect-query hooks for SsoService: the login page's start (public) and
// the tenant's single sign-on settings (area Datenschutz).
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { SsoService } from "../gen/zeugo/v1/sso_pb.js";
import { useInvalidateService } from "./invalidate.js";

const m = SsoService.method;

export function useStartSso() {
  return useMutation(m.startSso);
}

export function useSsoSettings() {
  return useQuery(m.getSsoSettings, {});
}

export function useUpdateSsoSettings() {
  const invalidate = useInvalidateService(SsoService);
  return useMutation(m.updateSsoSettings, { onSuccess: () => invalidate() });
}

export function useTestSsoConnection() {
  return useMutation(m.testSsoConnection);
}
