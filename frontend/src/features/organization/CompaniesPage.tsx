import { ActionIcon, Anchor, Button, Center, EmptyState, Group, Loader, Paper, Table, Text, Tooltip } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Company } from "../../gen/zeugo/v1/organization_pb.js";
import { useCompanies, useDeleteCompany } from "../../api/organization.js";
import { canEditStructure } from "../../lib/access.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { IconBuilding, IconPencil, IconPlus, IconTrash } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { ConfirmDeleteModal } from "../../components/ConfirmDeleteModal.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { formatDateTime } from "../../lib/format.js";

/** CompaniesPage lists the legal entities of the tenant. */
export function CompaniesPage() {
  const { t, i18n } = useTranslation();
  const principal = usePrincipal();
  const canEdit = canEditStructure(principal);
  const query = useCompanies();
  const remove = useDeleteCompany();
  const [toDelete, setToDelete] = useState<Company | undefined>();
  const companies = query.data?.companies ?? [];

  const createButton = canEdit && (
    <Button component={Link} to="/organisation/companies/new" leftSection={<IconPlus size={16} />}>
      {t("company.create")}
    </Button>
  );

  return (
    <>
      <PageHeader title={t("company.listTitle")} intro={t("company.listIntro")} actions={companies.length > 0 && createButton} />
      {query.isPending ? (
        <Center py="xl">
          <Loader aria-label={t("app.loading")} />
        </Center>
      ) : query.isError ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : companies.length === 0 ? (
        <Paper withBorder radius="lg" p="xl">
          <EmptyState
            icon={<IconBuilding size={28} />}
            title={t("company.listTitle")}
            description={canEdit ? t("company.empty") : t("common.emptyReadOnly")}
          >
            {createButton}
          </EmptyState>
        </Paper>
      ) : (
        <Paper withBorder radius="lg">
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Caption>{t("common.count", { count: companies.length })}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("common.name")}</Table.Th>
                  <Table.Th scope="col">{t("company.location")}</Table.Th>
                  <Table.Th scope="col">{t("company.fields.email")}</Table.Th>
                  <Table.Th scope="col">{t("common.lastChanged")}</Table.Th>
                  {canEdit && (
                    <Table.Th scope="col" ta="right">
                      {t("common.actions")}
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {companies.map((c) => {
                  const f = c.fields;
                  const name = f?.name ?? "";
                  return (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/organisation/companies/${c.id}`} className="table-row-link">
                          {name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{[f?.postcode, f?.city].filter(Boolean).join(" ")}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{f?.email}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {formatDateTime(c.updateTime ?? c.createTime, i18n.language)}
                        </Text>
                      </Table.Td>
                      {canEdit && (
                        <Table.Td>
                          <Group gap={4} justify="flex-end" wrap="nowrap">
                            <Tooltip label={t("common.edit")} openDelay={400}>
                              <ActionIcon
                                component={Link}
                                to={`/organisation/companies/${c.id}`}
                                variant="subtle"
                                color="gray"
                                aria-label={`${t("common.edit")}: ${name}`}
                              >
                                <IconPencil size={16} />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label={t("common.delete")} openDelay={400}>
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                aria-label={`${t("common.delete")}: ${name}`}
                                onClick={() => setToDelete(c)}
                              >
                                <IconTrash size={16} />
                              </ActionIcon>
                            </Tooltip>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <ConfirmDeleteModal
        opened={toDelete !== undefined}
        name={toDelete?.fields?.name ?? ""}
        onCancel={() => setToDelete(undefined)}
        onConfirm={async () => {
          if (!toDelete) return;
          const name = toDelete.fields?.name ?? "";
          await remove.mutateAsync({ id: toDelete.id });
          setToDelete(undefined);
          notifySuccess(t, t("company.deleted", { name }));
        }}
      />
    </>
  );
}
