// connect-query hooks for SecuritySettingsService (area Datenschutz).
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { SecuritySettingsService } from "../gen/zeugo/v1/settings_pb.js";

const m = SecuritySettingsService.method;

export function useSecuritySettings() {
  return useQuery(m.getSecuritySettings, {});
}

export function useUpdateSecuritySettings() {
  const queryClient = useQueryClient();
  return useMutation(m.updateSecuritySettings, {
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: SecuritySettingsService, cardinality: undefined }) }),
  });
}
