// connect-query hooks for BrandingService (area Individualisierung; read by every signed-in user).
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { BrandingService } from "../gen/zeugo/v1/branding_pb.js";

const m = BrandingService.method;

export function useBranding() {
  return useQuery(m.getBranding, {}, { staleTime: 5 * 60_000 });
}

function useInvalidateBranding() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: BrandingService, cardinality: undefined }) });
}

export function useUpdateBranding() {
  return useMutation(m.updateBranding, { onSuccess: useInvalidateBranding() });
}

export function useSetBrandingLogo() {
  return useMutation(m.setBrandingLogo, { onSuccess: useInvalidateBranding() });
}

export function useRemoveBrandingLogo() {
  return useMutation(m.removeBrandingLogo, { onSuccess: useInvalidateBranding() });
}
