import { Alert, Button, Group, Modal, Radio, Select, Stack, Stepper, Switch, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useCertificateCatalog, useCreateCertificate } from "../../api/certificates.js";
import { useEmployee } from "../../api/employees.js";
import { IconAlert } from "../../components/icons.js";
import { CertificateKind, CreateCertificateRequestSchema } from "../../gen/zeugo/v1/certificates_pb.js";
import { errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { violationMessage, violationsFromError } from "../../lib/validation.js";
import { listName } from "../employees/form.js";
import { EmployeePicker, type PickedEmployee } from "./EmployeePicker.js";
import { kinds } from "./options.js";
import { SegmentedField } from "./SegmentedField.js";

/**
 * defaultKind suggests the kind from the employment: a final certificate
 * for someone who has left (or is leaving), an interim one otherwise.
 */
export function defaultKind(exitDate: string | undefined): CertificateKind {
  return exitDate ? CertificateKind.FINAL : CertificateKind.INTERIM;
}

/**
 * NewCertificateWizard (/certificates/new) starts a certificate in three
 * steps — the employee, kind and language, the job profile — and opens the
 * editor on the new draft. Personal data, dates, tasks and authorities
 * come from the employee; the job profile's task templates can be ticked
 * in the editor.
 */
export function NewCertificateWizard({ employeeId, onClose }: { employeeId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateCertificate();
  const [step, setStep] = useState(0);
  const [employee, setEmployee] = useState<PickedEmployee>();
  const [kind, setKind] = useState<CertificateKind>();
  const [language, setLanguage] = useState<"de" | "en">("de");
  const [isPrivate, setPrivate] = useState(false);
  const [profile, setProfile] = useState<string | null>(null);
  const [employeeError, setEmployeeError] = useState<string>();
  const [error, setError] = useState<string>();

  // Opened for one employee (from the employee's certificates): start with them.
  const preset = useEmployee(employeeId);
  const presetEmployee = preset.data?.employee;
  useEffect(() => {
    if (presetEmployee && !employee) {
      setEmployee({ id: presetEmployee.id, label: `${listName(presetEmployee.fields)} · ${presetEmployee.fields?.personnelNumber ?? ""}` });
    }
  }, [presetEmployee]);
  const chosen = useEmployee(employee?.id);
  const suggested = defaultKind(chosen.data?.employee?.fields?.exitDate);
  const effectiveKind = kind ?? suggested;

  const catalog = useCertificateCatalog(language);
  const profiles = (catalog.data?.jobProfiles ?? []).map((p) => ({ value: p.id, label: p.title }));
  // A profile of the other language's catalogue has the same id; one that
  // does not exist there is dropped.
  const profileId = profile && profiles.some((p) => p.value === profile) ? profile : null;

  const next = () => {
    if (step === 0 && !employee) {
      setEmployeeError(t("certificates.wizard.employeeRequired"));
      return;
    }
    setEmployeeError(undefined);
    setStep((s) => Math.min(s + 1, 2));
  };

  const submit = async () => {
    if (!employee) {
      setStep(0);
      setEmployeeError(t("certificates.wizard.employeeRequired"));
      return;
    }
    setError(undefined);
    const req = { employeeId: employee.id, kind: effectiveKind, language, jobProfileId: profileId ?? "", private: isPrivate };
    try {
      const res = await create.mutateAsync(req);
      const id = res.certificate?.id;
      notifySuccess(t, t("certificates.wizard.created", { name: res.certificate?.employeeName ?? "" }));
      if (id) void navigate(`/certificates/${id}`);
      else onClose();
    } catch (err) {
      const violations = violationsFromError(err, CreateCertificateRequestSchema);
      const onEmployee = violations.find((v) => v.field === "employeeId");
      if (onEmployee) {
        setStep(0);
        setEmployeeError(violationMessage(onEmployee, t));
        return;
      }
      setError(violations.length > 0 ? violations.map((v) => violationMessage(v, t)).join(" ") : errorMessage(err, t));
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t("certificates.wizard.title")}
      size="lg"
      closeButtonProps={{ "aria-label": t("common.close") }}
      styles={{ title: { fontSize: "var(--mantine-h3-font-size)", fontWeight: 700 } }}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (step < 2) next();
          else void submit();
        }}
      >
        <Stack gap="lg">
          <Stepper active={step} onStepClick={(s) => (s < step || employee ? setStep(s) : undefined)} size="sm" allowNextStepsSelect={employee !== undefined}>
            <Stepper.Step label={t("certificates.wizard.stepEmployee")}>
              <Stack gap="sm" pt="md">
                <EmployeePicker
                  label={t("certificates.wizard.employee")}
                  description={t("certificates.wizard.employeeHint")}
                  required
                  data-autofocus
                  error={employeeError}
                  value={employee}
                  onChange={(picked) => {
                    setEmployee(picked);
                    setKind(undefined);
                    setEmployeeError(undefined);
                  }}
                />
              </Stack>
            </Stepper.Step>
            <Stepper.Step label={t("certificates.wizard.stepKind")}>
              <Stack gap="md" pt="md">
                <Radio.Group
                  label={t("certificates.wizard.kind")}
                  value={String(effectiveKind)}
                  onChange={(v) => setKind(Number(v) as CertificateKind)}
                >
                  <Stack gap="sm" mt="xs">
                    {kinds.map(([k, key]) => (
                      <Radio
                        key={k}
                        value={String(k)}
                        label={t(`certificates.kinds.${key}`)}
                        description={t(`certificates.kindHints.${key}`)}
                        data-autofocus={k === effectiveKind || undefined}
                      />
                    ))}
                  </Stack>
                </Radio.Group>
                <SegmentedField
                  label={t("certificates.fields.language")}
                  value={language}
                  onChange={(v) => setLanguage(v === "en" ? "en" : "de")}
                  data={[
                    { value: "de", label: t("certificates.languages.de") },
                    { value: "en", label: t("certificates.languages.en") },
                  ]}
                />
                <Switch
                  label={t("certificates.wizard.private")}
                  description={t("certificates.wizard.privateHint")}
                  checked={isPrivate}
                  onChange={(e) => setPrivate(e.currentTarget.checked)}
                />
              </Stack>
            </Stepper.Step>
            <Stepper.Step label={t("certificates.wizard.stepProfile")}>
              <Stack gap="sm" pt="md">
                <Select
                  label={t("certificates.fields.jobProfile")}
                  description={t("certificates.wizard.profileHint")}
                  placeholder={t("certificates.fields.noJobProfile")}
                  data={profiles}
                  value={profileId}
                  onChange={setProfile}
                  searchable
                  clearable
                  data-autofocus
                  nothingFoundMessage={catalog.isPending ? t("app.loading") : t("table.none")}
                />
                <Text size="sm" c="dimmed">
                  {t("certificates.wizard.summary", {
                    name: employee?.label ?? "",
                    kind: t(`certificates.kinds.${kinds.find(([k]) => k === effectiveKind)?.[1] ?? "final"}`),
                    language: t(`certificates.languages.${language}`),
                  })}
                </Text>
              </Stack>
            </Stepper.Step>
          </Stepper>
          {error && (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {error}
            </Alert>
          )}
          <Group justify="space-between">
            <Button variant="default" onClick={step === 0 ? onClose : () => setStep((s) => s - 1)}>
              {step === 0 ? t("common.cancel") : t("certificates.wizard.back")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {step < 2 ? t("certificates.wizard.next") : t("certificates.wizard.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
