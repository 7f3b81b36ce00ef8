// The tenant's catalogue (areas Berufsbilder, Brieftexte, Qualifikationen):
// one page with a tab per area the role grants, the history and the
// import/export. German and English stand side by side; badges say which
// entries the tenant changed, added or hid and where a language is missing.
import { Center, Loader, Tabs, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { useCatalog } from "../../api/catalog.js";
import { hasArea } from "../../lib/access.js";
import { usePrincipal } from "../../lib/session-context.js";
import { PageHeader } from "../../components/PageHeader.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { LetterTexts } from "./LetterTexts.js";
import { JobProfiles } from "./JobProfiles.js";
import { Attributes } from "./Attributes.js";
import { Versions } from "./Versions.js";
import { ImportExport } from "./ImportExport.js";

/** CatalogPage shows the tenant's catalogue. */
export function CatalogPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const writable = !principal.tenantReadOnly;
  const may = {
    letters: hasArea(principal, Area.LETTER_TEXTS),
    profiles: hasArea(principal, Area.JOB_PROFILES),
    attributes: hasArea(principal, Area.QUALIFICATIONS),
  };
  const tabs = (["letters", "profiles", "attributes"] as const).filter((k) => may[k]);
  const [tab, setTab] = useState<string>(tabs[0] ?? "versions");
  const query = useCatalog();
  const header = (
    <PageHeader
      title={t("catalog.title")}
      intro={
        query.data
          ? t("catalog.introVersion", { version: String(query.data.version), defaultVersion: query.data.defaultVersion })
          : t("catalog.intro")
      }
    />
  );
  if (query.isPending) {
    return (
      <>
        {header}
        <Center py="xl">
          <Loader aria-label={t("app.loading")} />
        </Center>
      </>
    );
  }
  if (query.isError) {
    return (
      <>
        {header}
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }
  const cat = query.data;
  const reload = () => void query.refetch();
  return (
    <>
      {header}
      {!writable && (
        <Text c="dimmed" size="sm" mb="md">
          {t("common.readOnlyHint")}
        </Text>
      )}
      <Tabs value={tab} onChange={(v) => v && setTab(v)} keepMounted={false}>
        <Tabs.List mb="md">
          {tabs.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(`catalog.tabs.${k}`)}
            </Tabs.Tab>
          ))}
          <Tabs.Tab value="versions">{t("catalog.tabs.versions")}</Tabs.Tab>
          <Tabs.Tab value="io">{t("catalog.tabs.io")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="letters">
          <LetterTexts entries={cat.letterTexts} version={cat.version} placeholders={cat.placeholders} canEdit={writable && may.letters} reload={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="profiles">
          <JobProfiles entries={cat.jobProfiles} version={cat.version} canEdit={writable && may.profiles} reload={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="attributes">
          <Attributes entries={cat.attributes} version={cat.version} canEdit={writable && may.attributes} reload={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="versions">
          <Versions />
        </Tabs.Panel>
        <Tabs.Panel value="io">
          <ImportExport version={cat.version} canImport={writable && may.letters && may.profiles && may.attributes} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
