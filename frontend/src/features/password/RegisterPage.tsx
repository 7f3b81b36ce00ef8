import { Anchor, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useAcceptInvitation, useInvitation } from "../../api/password.js";
import { AcceptInvitationRequestSchema } from "../../gen/zeugo/v1/auth_pb.js";
import { forgetFragmentToken, takeFragmentToken } from "./fragment.js";
import { LinkState, type LoginNoticeState } from "./LinkPage.js";
import { NewPasswordForm } from "./NewPasswordForm.js";
import { PublicPage } from "./PublicPage.js";

/**
 * RegisterPage: the invitee opens the registration link
 * (/register#<token>), sees whom the invitation is for and sets the first
 * password. The token is taken from the fragment and cleared from the
 * address bar at once.
 */
export function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [token] = useState(() => takeFragmentToken());
  const invitation = useInvitation(token);
  const data = invitation.data;
  const accept = useAcceptInvitation();
  const title = t("password.register.title");
  return (
    <LinkState
      title={title}
      token={token}
      isPending={data === undefined}
      error={data === undefined ? invitation.error : null}
      invalidHint={t("password.register.invalidHint")}
    >
      {() => {
        const inv = data!;
        return (
          <PublicPage
            title={t("password.register.welcome", { name: inv.firstName })}
            subtitle={t("password.register.subtitle", { tenant: inv.tenantName })}
          >
            <NewPasswordForm
              policy={{ minLength: inv.policy?.minLength ?? 8, composition: inv.policy?.composition ?? true }}
              email={inv.email}
              userInputs={[inv.firstName, inv.email, inv.tenantName]}
              submitLabel={t("password.register.submit")}
              schema={AcceptInvitationRequestSchema}
              onSubmit={async (password) => {
                await accept.mutateAsync({ token, password });
                forgetFragmentToken();
                const state: LoginNoticeState = { notice: "registered" };
                await navigate("/", { replace: true, state });
              }}
            />
            <Text size="sm" mt="md" ta="center">
              <Anchor component={Link} to="/">
                {t("password.toLogin")}
              </Anchor>
            </Text>
          </PublicPage>
        );
      }}
    </LinkState>
  );
}
