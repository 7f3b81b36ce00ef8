// connect-query hooks for second factors: the login's second step (public
// AuthService calls that run before a session exists), the step-up of a
// running session, and SecondFactorService ("Mein Konto"). Changes
// invalidate every cached query of SecondFactorService.
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { AuthService } from "../gen/zeugo/v1/auth_pb.js";
import { SecondFactorService } from "../gen/zeugo/v1/factors_pb.js";

const auth = AuthService.method;
const m = SecondFactorService.method;

function useInvalidateFactors(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: SecondFactorService, cardinality: undefined }) });
}

/** useVerifySecondFactor answers a login's challenge with a code. */
export function useVerifySecondFactor() {
  return useMutation(auth.verifySecondFactor);
}

/** useStartLoginEnrollment creates the secret of an app enrolled during a login. */
export function useStartLoginEnrollment() {
  return useMutation(auth.startLoginEnrollment);
}

/** useConfirmLoginEnrollment confirms that app and completes the login. */
export function useConfirmLoginEnrollment() {
  return useMutation(auth.confirmLoginEnrollment);
}

/** useStepUp proves a factor (or the password) again in the running session. */
export function useStepUp() {
  const invalidate = useInvalidateFactors();
  return useMutation(auth.stepUp, { onSuccess: () => invalidate() });
}

/** useMyFactors lists the caller's factors, recovery codes left and the step-up's validity. */
export function useMyFactors() {
  return useQuery(m.listMyFactors, {});
}

export function useStartTotpEnrollment() {
  return useMutation(m.startTotpEnrollment);
}

export function useConfirmTotpEnrollment() {
  const invalidate = useInvalidateFactors();
  return useMutation(m.confirmTotpEnrollment, { onSuccess: () => invalidate() });
}

export function useRemoveFactor() {
  const invalidate = useInvalidateFactors();
  return useMutation(m.removeFactor, { onSuccess: () => invalidate() });
}

export function useRegenerateRecoveryCodes() {
  const invalidate = useInvalidateFactors();
  return useMutation(m.regenerateRecoveryCodes, { onSuccess: () => invalidate() });
}

// Passkeys and security keys (WebAuthn): the server hands out the options
// of a ceremony, the browser answers it (@simplewebauthn/browser), and the
// answer goes back as JSON.

export function useStartPasskeyRegistration() {
  return useMutation(m.startPasskeyRegistration);
}

export function useFinishPasskeyRegistration() {
  const invalidate = useInvalidateFactors();
  return useMutation(m.finishPasskeyRegistration, { onSuccess: () => invalidate() });
}

/** useBeginStepUp fetches the request options of a step-up with a passkey. */
export function useBeginStepUp() {
  return useMutation(auth.beginStepUp);
}

/** useBeginPasskeyLogin starts a passwordless sign-in (public, before a session exists). */
export function useBeginPasskeyLogin() {
  return useMutation(auth.beginPasskeyLogin);
}

/** useFinishPasskeyLogin signs in with the passkey's answer. */
export function useFinishPasskeyLogin() {
  return useMutation(auth.finishPasskeyLogin);
}

/** useResetUserSecondFactors removes another user's factors (an administrator, after a step-up). */
export function useResetUserSecondFactors() {
  return useMutation(m.resetUserSecondFactors);
}

// SMS codes: sent on request (login, step-up, a new number), each good
// five minutes; the server limits how many are sent.

/** useSendLoginSms sends a code for a challenged login (public). */
export function useSendLoginSms() {
  return useMutation(auth.sendLoginSms);
}

/** useSendStepUpSms sends a step-up code to the caller's SMS factor. */
export function useSendStepUpSms() {
  return useMutation(auth.sendStepUpSms);
}

export function useStartSmsEnrollment() {
  return useMutation(m.startSmsEnrollment);
}

export function useConfirmSmsEnrollment() {
  const invalidate = useInvalidateFactors();
  return useMutation(m.confirmSmsEnrollment, { onSuccess: () => invalidate() });
}
