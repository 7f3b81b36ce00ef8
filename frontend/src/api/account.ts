// connect-query hooks for AccountService ("Mein Konto"). Mutations
// invalidate every cached query of the service.
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { AccountService } from "../gen/zeugo/v1/account_pb.js";

const m = AccountService.method;

function useInvalidateAccount(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: AccountService, cardinality: undefined }) });
}

/** useMySessions lists the caller's live sessions, most recently active first. */
export function useMySessions() {
  return useQuery(m.listMySessions, {});
}

export function useRevokeMySession() {
  const invalidate = useInvalidateAccount();
  return useMutation(m.revokeMySession, { onSuccess: () => invalidate() });
}

/** useLogoutEverywhere ends every session of the caller, this one included. */
export function useLogoutEverywhere() {
  return useMutation(m.logoutEverywhere);
}

export function useMyProfile() {
  return useQuery(m.getMyProfile, {});
}

export function useUpdateMyProfile() {
  const invalidate = useInvalidateAccount();
  return useMutation(m.updateMyProfile, { onSuccess: () => invalidate() });
}
