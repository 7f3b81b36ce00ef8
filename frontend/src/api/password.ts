// connect-query hooks for the password calls of AuthService: registration
// and reset links (public), the password change and the tenant's policy.
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { AuthService } from "../gen/zeugo/v1/auth_pb.js";

const m = AuthService.method;

/** Link look-ups are not retried: an invalid link stays invalid. */
const linkQuery = { retry: false, staleTime: Infinity, refetchOnWindowFocus: false } as const;

export function useInvitation(token: string) {
  return useQuery(m.getInvitation, { token }, { ...linkQuery, enabled: token !== "" });
}

export function useAcceptInvitation() {
  return useMutation(m.acceptInvitation);
}

export function usePasswordReset(token: string) {
  return useQuery(m.getPasswordReset, { token }, { ...linkQuery, enabled: token !== "" });
}

export function useResetPassword() {
  return useMutation(m.resetPassword);
}

export function useRequestPasswordReset() {
  return useMutation(m.requestPasswordReset);
}

export function useChangePassword() {
  return useMutation(m.changePassword);
}

/** usePasswordPolicy is the signed-in user's tenant's password policy. */
export function usePasswordPolicy() {
  return useQuery(m.getPasswordPolicy, {}, { staleTime: 5 * 60_000 });
}
