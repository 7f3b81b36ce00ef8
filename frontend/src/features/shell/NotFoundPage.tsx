import { Button, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "../../components/PageHeader.js";

/**
 * NotFoundPage answers an unknown path, or (forbidden) a page of an area
 * the principal's role does not grant.
 */
export function NotFoundPage({ forbidden = false }: { forbidden?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t(forbidden ? "common.forbiddenTitle" : "common.notFoundTitle")} />
      <Text mb="lg">{t(forbidden ? "common.forbiddenText" : "common.notFoundText")}</Text>
      <Button component={Link} to="/" variant="light">
        {t("common.toStart")}
      </Button>
    </>
  );
}
