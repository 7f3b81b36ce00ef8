// Pieces the catalogue's tabs share: the badges of an entry's state, and
// the mapping of a refused save to messages beside its fields (the
// checker's findings come from the server in German and English).
import { Badge, Group } from "@mantine/core";
import { Code, ConnectError } from "@connectrpc/connect";
import type { DescMessage } from "@bufbuild/protobuf";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { CatalogEntryState } from "../../gen/zeugo/v1/catalog_pb.js";
import { errorMessage } from "../../lib/errors.js";
import { violationMessage, violationsFromError } from "../../lib/validation.js";

/** EntryBadges shows where an entry comes from, whether it is hidden and which language is missing. */
export function EntryBadges({
  state,
  hidden,
  missing,
}: {
  state: CatalogEntryState;
  hidden?: boolean;
  missing?: readonly string[];
}) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      {state === CatalogEntryState.CHANGED && (
        <Badge variant="light" color="zeugo">
          {t("catalog.state.changed")}
        </Badge>
      )}
      {state === CatalogEntryState.ADDED && (
        <Badge variant="light" color="teal">
          {t("catalog.state.added")}
        </Badge>
      )}
      {state === CatalogEntryState.DEFAULT && (
        <Badge variant="light" color="gray">
          {t("catalog.state.default")}
        </Badge>
      )}
      {hidden && (
        <Badge variant="outline" color="gray">
          {t("catalog.state.hidden")}
        </Badge>
      )}
      {missing?.map((lang) => (
        <Badge key={lang} variant="light" color="orange">
          {t("catalog.state.missing", { language: t(`catalog.languages.${lang}`) })}
        </Badge>
      ))}
    </Group>
  );
}

/** SaveErrors is a refused save: messages by field path ("fields.de.0"), the rest, and a conflict. */
export type SaveErrors = { fields: Record<string, string>; other: string[]; conflict: boolean };

export const noErrors: SaveErrors = { fields: {}, other: [], conflict: false };

/**
 * saveErrors maps a refused save to messages. A catalogue rule's message
 * is "German\nEnglish" (the checker's finding); other rules are translated
 * by their rule id.
 */
export function saveErrors(err: unknown, schema: DescMessage, t: TFunction, language: string): SaveErrors {
  if (err instanceof ConnectError && err.code === Code.Aborted) return { fields: {}, other: [], conflict: true };
  const out: SaveErrors = { fields: {}, other: [], conflict: false };
  const violations = violationsFromError(err, schema);
  for (const v of violations) {
    const text = v.ruleId.startsWith("zeugo.catalog.")
      ? (v.message.split("\n")[language === "en" ? 1 : 0] ?? v.message)
      : violationMessage(v, t);
    if (v.field !== "" && out.fields[v.field] === undefined) out.fields[v.field] = text;
    else if (v.field === "") out.other.push(text);
  }
  if (violations.length === 0) out.other.push(errorMessage(err, t));
  return out;
}

/** unplaced returns the messages of fields a form does not show. */
export function unplaced(errors: SaveErrors, shown: (field: string) => boolean): string[] {
  return [
    ...errors.other,
    ...Object.entries(errors.fields)
      .filter(([f]) => !shown(f))
      .map(([f, m]) => `${f}: ${m}`),
  ];
}
