import { Button, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "../../components/PageHeader.js";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("common.notFoundTitle")} />
      <Text mb="lg">{t("common.notFoundText")}</Text>
      <Button component={Link} to="/" variant="light">
        {t("common.toStart")}
      </Button>
    </>
  );
}
