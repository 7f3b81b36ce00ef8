// connect-query hooks for RoleService. Mutations invalidate every cached
// query of the service and of UserService (users show their role's name).
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { RoleOrder, RoleService } from "../gen/zeugo/v1/roles_pb.js";
import { UserService } from "../gen/zeugo/v1/users_pb.js";
import { maxPageSize, usePagedQuery } from "./paging.js";

const m = RoleService.method;

function useInvalidateRoles(): (deletedId?: string) => Promise<void> {
  const queryClient = useQueryClient();
  return async (deletedId) => {
    await Promise.all([
      queryClient.invalidateQueries({
        queryKey: createConnectQueryKey({ schema: RoleService, cardinality: undefined }),
        predicate: (query) => {
          if (deletedId === undefined) return true;
          const input = (query.queryKey[1] as { input?: { id?: unknown } } | undefined)?.input;
          return input?.id !== deletedId;
        },
      }),
      queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: UserService, cardinality: undefined }) }),
    ]);
  };
}

/** useRoleList pages through the roles by name. */
export function useRoleList() {
  return usePagedQuery(m.listRoles, {}, { rows: (res) => res.roles, orderBy: RoleOrder.NAME });
}

/**
 * useRoleChoices loads the roles to pick from (a role select): the first
 * page of the largest size, by name. Tenants have a handful of roles; the
 * select says so when there are more.
 */
export function useRoleChoices() {
  return useQuery(m.listRoles, { page: { pageSize: maxPageSize, pageToken: "" }, orderBy: RoleOrder.NAME });
}

export function useRole(id: string | undefined) {
  return useQuery(m.getRole, { id: id ?? "" }, { enabled: id !== undefined });
}

export function useCreateRole() {
  const invalidate = useInvalidateRoles();
  return useMutation(m.createRole, { onSuccess: () => invalidate() });
}

export function useUpdateRole() {
  const invalidate = useInvalidateRoles();
  return useMutation(m.updateRole, { onSuccess: () => invalidate() });
}

export function useDeleteRole() {
  const invalidate = useInvalidateRoles();
  return useMutation(m.deleteRole, { onSuccess: (_res, req) => invalidate(req.id) });
}
