// In-memory DocumentLayoutService (and the company list the page picks
// from) for component tests: it keeps the layouts a screen changes,
// checks the versions and the footer's room like the server, and records
// the requests.
import { create, toBinary } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError, createRouterTransport, type Transport } from "@connectrpc/connect";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import {
  DocumentDateFormat,
  DocumentFont,
  DocumentLayoutSchema,
  DocumentLayoutService,
  DocumentLayoutSettingsSchema,
  SignatureArrangement,
  type DocumentLayout,
  type DocumentLayoutSettings,
  type PreviewDocumentLayoutRequest,
  type ResetDocumentLayoutRequest,
  type SetDocumentLayoutLogoRequest,
  type UpdateDocumentLayoutRequest,
} from "../../gen/zeugo/v1/layout_pb.js";
import { CompanySchema, OrganizationService } from "../../gen/zeugo/v1/organization_pb.js";

export const companyA = "00000000-0000-7000-8000-00000000000a";
export const companyB = "00000000-0000-7000-8000-00000000000b";

export type FakeLayout = {
  transport: Transport;
  layouts: Map<string, DocumentLayout>;
  updates: UpdateDocumentLayoutRequest[];
  previews: PreviewDocumentLayoutRequest[];
  logos: SetDocumentLayoutLogoRequest[];
  resets: ResetDocumentLayoutRequest[];
};

/** violationError is the server's InvalidArgument on one field path. */
function violationError(path: string[], ruleId: string): ConnectError {
  const detail = create(ViolationsSchema, { violations: [{ field: { elements: path.map((fieldName) => ({ fieldName })) }, ruleId }] });
  return errorFromJson(
    { code: "invalid_argument", message: "refused", details: [{ type: "buf.validate.Violations", value: base64Encode(toBinary(ViolationsSchema, detail), "std_raw") }] },
    undefined,
    new ConnectError("fallback"),
  );
}

const defaults = (): DocumentLayoutSettings =>
  create(DocumentLayoutSettingsSchema, {
    marginTopMm: 18,
    marginBottomMm: 30,
    marginLeftMm: 25,
    marginRightMm: 20,
    font: DocumentFont.SERIF,
    fontSizePt: 11,
    logoWidthMm: 40,
    dateFormat: DocumentDateFormat.LONG,
    signatureSpaceMm: 20,
    signatureArrangement: SignatureArrangement.SIDE_BY_SIDE,
    signatureFunctions: true,
  });

function standard(companyId: string, name: string): DocumentLayout {
  return create(DocumentLayoutSchema, {
    companyId,
    companyName: name,
    settings: defaults(),
    companyLetterheadLines: ["Hauptstraße 1", "50667 Köln"],
    companyFooterLines: ["Amtsgericht Köln · HRB 4711"],
    companyPlace: "Köln",
  });
}

/** checkFooter is the server's rule the proto cannot say: footer lines need 22 mm at the bottom. */
function checkFooter(s: DocumentLayoutSettings | undefined, companyFooter: string[]) {
  const footer = s?.customFooter ? s.footerLines : companyFooter;
  if (s && footer.length > 0 && s.marginBottomMm < 22) throw violationError(["settings", "margin_bottom_mm"], "zeugo.layout.footer_margin");
}

/** A PNG's first bytes; the fake accepts any file that starts with them. */
const pngMagic = [0x89, 0x50, 0x4e, 0x47];

export function fakeLayout(): FakeLayout {
  const fake: FakeLayout = {
    transport: undefined as unknown as Transport,
    layouts: new Map([
      [companyA, standard(companyA, "Alpha GmbH")],
      [companyB, standard(companyB, "Beta AG")],
    ]),
    updates: [],
    previews: [],
    logos: [],
    resets: [],
  };
  const get = (id: string) => {
    const l = fake.layouts.get(id);
    if (!l) throw new ConnectError("not found", Code.NotFound);
    return l;
  };
  const change = (id: string, version: bigint, f: (l: DocumentLayout) => DocumentLayout) => {
    const cur = get(id);
    if (version !== cur.version) throw new ConnectError("stale", Code.Aborted);
    const next = create(DocumentLayoutSchema, { ...f(cur), customized: true, version: cur.version + 1n });
    fake.layouts.set(id, next);
    return { layout: next };
  };
  fake.transport = createRouterTransport(({ service }) => {
    service(OrganizationService, {
      listCompanies: () => ({
        companies: [...fake.layouts.values()].map((l) => create(CompanySchema, { id: l.companyId, version: 1n, fields: { name: l.companyName } })),
      }),
    });
    service(DocumentLayoutService, {
      getDocumentLayout: (req) => ({ layout: get(req.companyId) }),
      updateDocumentLayout(req) {
        fake.updates.push(req);
        const cur = get(req.companyId);
        checkFooter(req.settings, cur.companyFooterLines);
        return change(req.companyId, req.version, (l) => ({ ...l, settings: req.settings }));
      },
      setDocumentLayoutLogo(req) {
        fake.logos.push(req);
        if (!pngMagic.every((b, i) => req.image[i] === b)) throw violationError(["image"], "zeugo.layout.logo");
        return change(req.companyId, req.version, (l) => ({ ...l, logoPng: req.image, logoWidthPx: 10, logoHeightPx: 5 }));
      },
      removeDocumentLayoutLogo: (req) => change(req.companyId, req.version, (l) => ({ ...l, logoPng: new Uint8Array(), logoWidthPx: 0, logoHeightPx: 0 })),
      resetDocumentLayout(req) {
        fake.resets.push(req);
        const cur = get(req.companyId);
        if (!cur.customized || req.version !== cur.version) throw new ConnectError("stale", Code.Aborted);
        const next = standard(cur.companyId, cur.companyName);
        fake.layouts.set(cur.companyId, next);
        return { layout: next };
      },
      previewDocumentLayout(req) {
        fake.previews.push(req);
        checkFooter(req.settings, get(req.companyId).companyFooterLines);
        const pdf = new TextEncoder().encode(`%PDF-1.4 ${req.settings?.font} ${req.settings?.marginTopMm}`);
        return { pdf, pages: req.signatories === 2 ? 2 : 1 };
      },
    });
  });
  return fake;
}
