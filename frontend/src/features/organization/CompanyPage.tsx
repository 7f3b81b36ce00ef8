import {
  Button,
  Center,
  Divider,
  Grid,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { Code, ConnectError } from "@connectrpc/connect";
import { useCallback, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import {
  CreateCompanyRequestSchema,
  UpdateCompanyRequestSchema,
  type CompanyFields,
} from "../../gen/zeugo/v1/organization_pb.js";
import { useCompany, useCreateCompany, useDeleteCompany, useUpdateCompany } from "../../api/organization.js";
import { canEditStructure } from "../../lib/access.js";
import { isCode } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { saveCall, useEntityForm } from "../../lib/use-entity-form.js";
import { IconTrash } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { ConfirmDeleteModal } from "../../components/ConfirmDeleteModal.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";

type CompanyValues = Omit<CompanyFields, "$typeName" | "$unknown">;

/** The form's fields in visual order (also the order in which focus finds errors). */
const fieldOrder = [
  "name",
  "description",
  "street",
  "postcode",
  "city",
  "country",
  "phone",
  "email",
  "website",
  "registerCourt",
  "registerNumber",
  "vatId",
  "managingDirectors",
] as const satisfies readonly (keyof CompanyValues)[];

const emptyValues: CompanyValues = {
  name: "",
  description: "",
  street: "",
  postcode: "",
  city: "",
  country: "",
  phone: "",
  email: "",
  website: "",
  registerCourt: "",
  registerNumber: "",
  vatId: "",
  managingDirectors: "",
};

function valuesOf(fields: CompanyFields | undefined): CompanyValues {
  const out = { ...emptyValues };
  if (fields) for (const k of fieldOrder) out[k] = fields[k];
  return out;
}

/** unknownId: a malformed id in the URL (InvalidArgument) is simply an unknown company. */
function unknownId(err: unknown): unknown {
  return isCode(err, Code.InvalidArgument) ? new ConnectError("", Code.NotFound) : err;
}

/** CompanyPage creates (/new), edits or — without the right — shows a company. */
export function CompanyPage() {
  const { id } = useParams();
  const isNew = id === undefined;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const principal = usePrincipal();
  const canEdit = canEditStructure(principal);
  const query = useCompany(id);
  const create = useCreateCompany();
  const update = useUpdateCompany();
  const remove = useDeleteCompany();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const company = query.data?.company;
  const loadedVersion = company?.version;
  const entity = useEntityForm<CompanyValues>({
    initialValues: emptyValues,
    fieldOrder,
    loaded: company && { key: `${company.id}/${company.version}`, values: valuesOf(company.fields) },
    save: (fields) =>
      isNew
        ? saveCall(CreateCompanyRequestSchema, { fields }, (req) => create.mutateAsync(req))
        : saveCall(UpdateCompanyRequestSchema, { id, version: loadedVersion ?? 0n, fields }, (req) => update.mutateAsync(req)),
    onSaved: (fields) => {
      notifySuccess(t, t(isNew ? "company.created" : "company.updated", { name: fields.name }));
      void navigate("/organisation/companies");
    },
    reload: () => void query.refetch(),
  });
  const { form } = entity;
  const isDirty = useCallback(() => canEdit && entity.isDirty(), [canEdit, entity.isDirty]);

  if (isNew && !canEdit) {
    return (
      <>
        <PageHeader title={t("company.createTitle")} back={{ to: "/organisation/companies", label: t("nav.companies") }} />
        <ErrorAlert error={new ConnectError("", Code.PermissionDenied)} />
      </>
    );
  }

  const title = isNew ? t("company.createTitle") : canEdit ? t("company.editTitle") : t("company.viewTitle");

  if (!isNew && query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  }
  if (!isNew && query.isError) {
    return (
      <>
        <PageHeader title={title} back={{ to: "/organisation/companies", label: t("nav.companies") }} />
        <ErrorAlert
          error={unknownId(query.error)}
          onRetry={isCode(unknownId(query.error), Code.NotFound) ? undefined : () => void query.refetch()}
        />
        <Button component={Link} to="/organisation/companies" variant="default" mt="lg">
          {t("app.back")}
        </Button>
      </>
    );
  }

  const readOnly = !canEdit;

  return (
    <>
      <PageHeader
        title={title}
        intro={!isNew ? company?.fields?.name : undefined}
        back={{ to: "/organisation/companies", label: t("nav.companies") }}
      />
      {readOnly && (
        <Text c="dimmed" size="sm" mb="md">
          {t("common.readOnlyHint")}
        </Text>
      )}
      <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }} maw={960}>
        <form onSubmit={entity.submit} noValidate aria-label={title}>
          <Stack gap="xl">
            <FormAlerts {...entity.alerts} />
            <Section title={t("company.sectionGeneral")}>
              <Grid.Col span={12}>
                <Field form={form} name="name" label={t("company.fields.name")} description={t("company.fields.nameHint")} required readOnly={readOnly} maxLength={200} />
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  id="company-description"
                  label={t("company.fields.description")}
                  description={readOnly ? undefined : t("company.fields.descriptionHint")}
                  autosize
                  minRows={2}
                  maxRows={5}
                  readOnly={readOnly}
                  {...form.getInputProps("description")}
                />
              </Grid.Col>
            </Section>
            <Section title={t("company.sectionAddress")}>
              <Grid.Col span={12}>
                <Field form={form} name="street" label={t("company.fields.street")} autoComplete="street-address" readOnly={readOnly} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 3 }}>
                <Field form={form} name="postcode" label={t("company.fields.postcode")} autoComplete="postal-code" readOnly={readOnly} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Field form={form} name="city" label={t("company.fields.city")} autoComplete="address-level2" readOnly={readOnly} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 3 }}>
                <Field
                  form={form}
                  name="country"
                  label={t("company.fields.country")}
                  description={t("company.fields.countryHint")}
                  placeholder="DE"
                  maxLength={2}
                  descriptionBelow
                  upperCase
                  readOnly={readOnly}
                />
              </Grid.Col>
            </Section>
            <Section title={t("company.sectionContact")}>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Field form={form} name="phone" label={t("company.fields.phone")} type="tel" readOnly={readOnly} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Field form={form} name="email" label={t("company.fields.email")} type="email" readOnly={readOnly} />
              </Grid.Col>
              <Grid.Col span={12}>
                <Field form={form} name="website" label={t("company.fields.website")} placeholder="www.muster.de" readOnly={readOnly} />
              </Grid.Col>
            </Section>
            <Section title={t("company.sectionRegister")}>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Field form={form} name="registerCourt" label={t("company.fields.registerCourt")} placeholder="Amtsgericht München" readOnly={readOnly} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Field form={form} name="registerNumber" label={t("company.fields.registerNumber")} placeholder="HRB 123456" readOnly={readOnly} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Field form={form} name="vatId" label={t("company.fields.vatId")} placeholder="DE123456789" upperCase readOnly={readOnly} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Field form={form} name="managingDirectors" label={t("company.fields.managingDirectors")} readOnly={readOnly} />
              </Grid.Col>
            </Section>
            <Divider />
            <Group justify="space-between">
              <Group gap="sm">
                {canEdit && (
                  <Button type="submit" loading={entity.saving}>
                    {t("common.save")}
                  </Button>
                )}
                <Button component={Link} to="/organisation/companies" variant="default">
                  {canEdit ? t("common.cancel") : t("app.back")}
                </Button>
              </Group>
              {canEdit && !isNew && company && (
                <Button color="red" variant="subtle" leftSection={<IconTrash size={16} />} onClick={() => setConfirmDelete(true)}>
                  {t("common.delete")}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Paper>
      <UnsavedChangesGuard dirty={isDirty} />
      {company && (
        <ConfirmDeleteModal
          opened={confirmDelete}
          name={company.fields?.name ?? ""}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            const name = company.fields?.name ?? "";
            await remove.mutateAsync({ id: company.id });
            setConfirmDelete(false);
            notifySuccess(t, t("company.deleted", { name }));
            entity.markDone();
            void navigate("/organisation/companies");
          }}
        />
      )}
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <Title order={2} fz="h5" mb="sm" c="zeugo.9">
        {title}
      </Title>
      <Grid gap="md">{children}</Grid>
    </section>
  );
}

type FieldProps = {
  form: UseFormReturnType<CompanyValues>;
  name: keyof CompanyValues;
  label: string;
  description?: string;
  placeholder?: string;
  required?: boolean;
  readOnly?: boolean;
  maxLength?: number;
  type?: "text" | "email" | "tel";
  autoComplete?: string;
  upperCase?: boolean;
  /** Put the hint under the input, keeping inputs of a row aligned. */
  descriptionBelow?: boolean;
};

function Field({ form, name, upperCase, descriptionBelow, ...rest }: FieldProps) {
  const props = form.getInputProps(name);
  // Read-only: no hints, examples or required marks that look like data or tasks.
  const editable = !rest.readOnly;
  return (
    <TextInput
      id={`company-${name}`}
      inputWrapperOrder={descriptionBelow ? ["label", "input", "description", "error"] : undefined}
      {...rest}
      description={editable ? rest.description : undefined}
      placeholder={editable ? rest.placeholder : undefined}
      required={editable && rest.required}
      {...props}
      onChange={(e) => {
        const value = upperCase ? e.currentTarget.value.toUpperCase() : e.currentTarget.value;
        form.setFieldValue(name, value);
      }}
    />
  );
}
