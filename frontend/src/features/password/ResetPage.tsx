import { Anchor, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { usePasswordReset, useResetPassword } from "../../api/password.js";
import { ResetPasswordRequestSchema } from "../../gen/zeugo/v1/auth_pb.js";
import { forgetFragmentToken, takeFragmentToken } from "./fragment.js";
import { LinkState, type LoginNoticeState } from "./LinkPage.js";
import { NewPasswordForm } from "./NewPasswordForm.js";
import { PublicPage } from "./PublicPage.js";

/**
 * ResetPage: the link from the reset mail (/reset#<token>) sets a new
 * password; every session of the account ends.
 */
export function ResetPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [token] = useState(() => takeFragmentToken());
  const link = usePasswordReset(token);
  const data = link.data;
  const reset = useResetPassword();
  const title = t("password.reset.title");
  return (
    <LinkState
      title={title}
      token={token}
      isPending={data === undefined}
      error={data === undefined ? link.error : null}
      invalidHint={
        <Anchor component={Link} to="/forgot-password">
          {t("password.reset.requestAgain")}
        </Anchor>
      }
    >
      {() => {
        const info = data!;
        return (
          <PublicPage title={title} subtitle={t("password.reset.subtitle", { name: info.firstName })}>
            <NewPasswordForm
              policy={{ minLength: info.policy?.minLength ?? 8, composition: info.policy?.composition ?? true }}
              email={info.email}
              userInputs={[info.firstName, info.email]}
              submitLabel={t("password.reset.submit")}
              schema={ResetPasswordRequestSchema}
              onSubmit={async (password) => {
                await reset.mutateAsync({ token, password });
                forgetFragmentToken();
                const state: LoginNoticeState = { notice: "passwordReset" };
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
