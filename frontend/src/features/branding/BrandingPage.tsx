// Individualisierung: how the tenant appears — the sender name of its mails
// (MailSenderService), and the accent colour and logo its users see in the
// app (BrandingService). The colour is checked as the server checks it
// (white text on it needs 4.5:1) and shown on a sample button before it is
// saved; the logo is re-encoded by the server, so what is shown afterwards
// is exactly what was stored.
import { Alert, Button, ColorInput, FileButton, Group, Image, Paper, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { UpdateBrandingRequestSchema, type Branding } from "../../gen/zeugo/v1/branding_pb.js";
import { useBranding, useRemoveBrandingLogo, useSetBrandingLogo, useUpdateBranding } from "../../api/branding.js";
import { hasArea } from "../../lib/access.js";
import { isCode, errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { validateMessage, violationMessage, violationsFromError } from "../../lib/validation.js";
import { Code } from "@connectrpc/connect";
import { PageHeader } from "../../components/PageHeader.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { SenderNameForm } from "../mail/MailSenderPage.js";
import { contrastWithWhite, isHexColor, minContrast } from "./palette.js";
import { pngDataUrl } from "./use-branding.js";
import { SetBrandingLogoRequestSchema } from "../../gen/zeugo/v1/branding_pb.js";

/** maxLogoBytes is the largest logo file the server takes. */
export const maxLogoBytes = 2 * 1024 * 1024;

/** Zeugo's own accent, shown when the tenant has none. */
const zeugoAccent = "#1f6a97";

/** BrandingPage is the area Individualisierung. */
export function BrandingPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const canEdit = !principal.tenantReadOnly && hasArea(principal, Area.BRANDING);
  const query = useBranding();
  return (
    <>
      <PageHeader title={t("branding.title")} intro={t("branding.intro")} />
      {!canEdit && (
        <Text c="dimmed" size="sm" mb="md">
          {t("common.readOnlyHint")}
        </Text>
      )}
      <Stack gap="lg" maw={720}>
        <SenderNameForm canEdit={canEdit} />
        {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
        {query.data?.branding && (
          <>
            <AccentSection branding={query.data.branding} canEdit={canEdit} />
            <LogoSection branding={query.data.branding} canEdit={canEdit} />
          </>
        )}
      </Stack>
    </>
  );
}

function AccentSection({ branding, canEdit }: { branding: Branding; canEdit: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateBranding();
  const [value, setValue] = useState(branding.accentColor);
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const shown = isHexColor(value) ? value : branding.accentColor || zeugoAccent;
  const contrast = isHexColor(value) ? contrastWithWhite(value) : undefined;
  const tooLight = contrast !== undefined && contrast < minContrast;

  const save = async (accentColor: string) => {
    setError(undefined);
    setFormError(undefined);
    const { violations } = validateMessage(UpdateBrandingRequestSchema, { version: branding.version, accentColor });
    if (violations.length > 0) {
      setError(violationMessage(violations[0]!, t));
      return;
    }
    if (accentColor !== "" && contrastWithWhite(accentColor) < minContrast) {
      setError(t("validation.rule.zeugo.branding.contrast"));
      return;
    }
    try {
      await update.mutateAsync({ version: branding.version, accentColor });
      setValue(accentColor);
      notifySuccess(t, t("branding.accent.saved"));
    } catch (err) {
      const v = violationsFromError(err, UpdateBrandingRequestSchema);
      if (v.length > 0) setError(violationMessage(v[0]!, t));
      else setFormError(isCode(err, Code.Aborted) ? t("errors.conflict") : errorMessage(err, t));
    }
  };

  return (
    <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }} component="section" aria-labelledby="branding-accent">
      <Stack gap="md">
        <Title order={2} size="h4" id="branding-accent">
          {t("branding.accent.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("branding.accent.intro")}
        </Text>
        {formError && (
          <Alert color="red" variant="light" role="alert">
            {formError}
          </Alert>
        )}
        <ColorInput
          label={t("branding.accent.label")}
          description={t("branding.accent.hint")}
          format="hex"
          value={value}
          onChange={(v) => {
            setValue(v);
            setError(undefined);
          }}
          readOnly={!canEdit}
          disallowInput={!canEdit}
          withPicker={canEdit}
          placeholder={zeugoAccent}
          error={error ?? (tooLight ? t("branding.accent.tooLight", { ratio: contrast!.toFixed(1) }) : undefined)}
          swatches={["#1f6a97", "#005177", "#2b5d34", "#8c1b5a", "#6b3fa0", "#9c3d00", "#333333"]}
        />
        <Group gap="sm" aria-hidden="true">
          <Button component="span" tabIndex={-1} style={{ background: shown, pointerEvents: "none" }}>
            {t("branding.accent.sample")}
          </Button>
          <Text span fw={600} style={{ color: shown }}>
            {t("branding.accent.sampleText")}
          </Text>
        </Group>
        {contrast !== undefined && !tooLight && (
          <Text size="xs" c="dimmed">
            {t("branding.accent.contrast", { ratio: contrast.toFixed(1) })}
          </Text>
        )}
        {canEdit && (
          <Group>
            <Button onClick={() => void save(value.toLowerCase())} loading={update.isPending} disabled={value === branding.accentColor}>
              {t("common.save")}
            </Button>
            {branding.accentColor !== "" && (
              <Button variant="default" onClick={() => void save("")} loading={update.isPending}>
                {t("branding.accent.reset")}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function LogoSection({ branding, canEdit }: { branding: Branding; canEdit: boolean }) {
  const { t } = useTranslation();
  const setLogo = useSetBrandingLogo();
  const removeLogo = useRemoveBrandingLogo();
  const [error, setError] = useState<string | undefined>();
  const hasLogo = branding.logoPng.length > 0;

  const upload = async (file: File | null) => {
    setError(undefined);
    if (!file) return;
    if (file.size > maxLogoBytes) {
      setError(t("validation.rule.zeugo.layout.logo_too_large"));
      return;
    }
    const image = new Uint8Array(await file.arrayBuffer());
    try {
      await setLogo.mutateAsync({ version: branding.version, image });
      notifySuccess(t, t("branding.logo.saved"));
    } catch (err) {
      const v = violationsFromError(err, SetBrandingLogoRequestSchema);
      setError(v.length > 0 ? violationMessage(v[0]!, t) : isCode(err, Code.Aborted) ? t("errors.conflict") : errorMessage(err, t));
    }
  };

  return (
    <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }} component="section" aria-labelledby="branding-logo">
      <Stack gap="md">
        <Title order={2} size="h4" id="branding-logo">
          {t("branding.logo.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("branding.logo.intro")}
        </Text>
        {hasLogo ? (
          <Image src={pngDataUrl(branding.logoPng)} alt={t("branding.logo.current")} h={48} w="auto" fit="contain" maw={240} />
        ) : (
          <Text size="sm">{t("branding.logo.none")}</Text>
        )}
        {error && (
          <Text c="red.6" size="sm" role="alert" id="branding-logo-error">
            {error}
          </Text>
        )}
        {canEdit && (
          <Group>
            <FileButton onChange={(f) => void upload(f)} accept="image/png,image/jpeg">
              {(props) => (
                <Button {...props} variant="default" loading={setLogo.isPending} aria-describedby={error ? "branding-logo-error" : undefined}>
                  {hasLogo ? t("branding.logo.replace") : t("branding.logo.upload")}
                </Button>
              )}
            </FileButton>
            {hasLogo && (
              <Button
                variant="subtle"
                color="red"
                loading={removeLogo.isPending}
                onClick={() =>
                  void removeLogo
                    .mutateAsync({ version: branding.version })
                    .then(() => notifySuccess(t, t("branding.logo.removed")))
                    .catch((err: unknown) => setError(isCode(err, Code.Aborted) ? t("errors.conflict") : errorMessage(err, t)))
                }
              >
                {t("branding.logo.remove")}
              </Button>
            )}
          </Group>
        )}
        <Text size="xs" c="dimmed">
          {t("branding.logo.hint")}
        </Text>
      </Stack>
    </Paper>
  );
}
