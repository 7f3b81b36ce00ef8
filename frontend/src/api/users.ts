// connect-query hooks for UserService. Mutations invalidate every cached
// query of the service (and of RoleService, whose user counts change).
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { RoleService } from "../gen/zeugo/v1/roles_pb.js";
import { UserOrder, UserService, UserState } from "../gen/zeugo/v1/users_pb.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import { usePagedQuery } from "./paging.js";

const m = UserService.method;

/**
 * useInvalidateUsers marks all UserService and RoleService queries stale;
 * after a cancelled invitation the deleted user's detail query is left
 * alone (refetching it would only produce a NotFound while the dialog closes).
 */
function useInvalidateUsers(): (deletedId?: string) => Promise<void> {
  const queryClient = useQueryClient();
  return async (deletedId) => {
    await Promise.all([
      queryClient.invalidateQueries({
        queryKey: createConnectQueryKey({ schema: UserService, cardinality: undefined }),
        predicate: (query) => {
          if (deletedId === undefined) return true;
          const input = (query.queryKey[1] as { input?: { id?: unknown } } | undefined)?.input;
          return input?.id !== deletedId;
        },
      }),
      queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: RoleService, cardinality: undefined }) }),
    ]);
  };
}

/** useUserList pages through the users (newest first), optionally of one state. */
export function useUserList(state: UserState) {
  return usePagedQuery(
    m.listUsers,
    { state },
    { rows: (res) => res.users, orderBy: UserOrder.CREATE_TIME, direction: SortDirection.DESCENDING },
  );
}

export function useUser(id: string | undefined) {
  return useQuery(m.getUser, { id: id ?? "" }, { enabled: id !== undefined });
}

/** useAccessOptions loads what certificate access can name (companies and units). */
export function useAccessOptions() {
  return useQuery(m.listAccessOptions, {});
}

export function useInviteUser() {
  const invalidate = useInvalidateUsers();
  return useMutation(m.inviteUser, { onSuccess: () => invalidate() });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation(m.updateUser, { onSuccess: () => invalidate() });
}

export function useResendInvitation() {
  const invalidate = useInvalidateUsers();
  return useMutation(m.resendInvitation, { onSuccess: () => invalidate() });
}

export function useCancelInvitation() {
  const invalidate = useInvalidateUsers();
  return useMutation(m.cancelInvitation, { onSuccess: (_res, req) => invalidate(req.id) });
}

export function useDeactivateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation(m.deactivateUser, { onSuccess: () => invalidate() });
}

export function useReactivateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation(m.reactivateUser, { onSuccess: () => invalidate() });
}

/** useEndUserSessions ends every session of another user; the account stays. */
export function useEndUserSessions() {
  return useMutation(m.endUserSessions);
}

export function useUnlockUser() {
  const invalidate = useInvalidateUsers();
  return useMutation(m.unlockUser, { onSuccess: () => invalidate() });
}
