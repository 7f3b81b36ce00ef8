import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { TextRows } from "./fields.js";
import { textListProto, textListValues, type TextListValues } from "./mapping.js";
import { SectionFrame, useSectionForm } from "./SectionForm.js";

const order = (v: TextListValues) => v.items.map((_, i) => `items.${i}`);

/** TextListSectionForm edits a list of short texts: Zusatztätigkeiten or Erfolge. */
export function TextListSectionForm({ certificate, sectionKey }: { certificate: Certificate; sectionKey: "additionalTasks" | "successes" }) {
  const { t } = useTranslation();
  const { form, frame } = useSectionForm({
    certificate,
    sectionKey,
    values: (c) => textListValues(c, sectionKey),
    proto: (v) => textListProto(v, sectionKey),
    fieldOrder: order,
  });
  const p = `certificates.sections.${sectionKey}`;
  return (
    <SectionFrame frame={frame}>
      <TextRows
        form={form}
        path="items"
        rowLabel={(n) => t(`${p}.item`, { n })}
        addLabel={t(`${p}.add`)}
        emptyText={t(`${p}.empty`)}
        placeholder={t(`${p}.placeholder`)}
      />
    </SectionFrame>
  );
}
