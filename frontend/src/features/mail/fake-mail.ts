// In-memory MailTemplateService and MailSenderService for component tests:
// they keep the state a screen changes and record the requests.
import { create, toBinary } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError, createRouterTransport, type Transport } from "@connectrpc/connect";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import {
  MailSenderService,
  MailTemplateSchema,
  MailTemplateService,
  type MailTemplate,
  type PreviewMailTemplateRequest,
  type ResetMailTemplateRequest,
  type UpdateMailSenderRequest,
  type UpdateMailTemplateRequest,
} from "../../gen/zeugo/v1/mail_pb.js";

export type FakeMail = {
  transport: Transport;
  templates: MailTemplate[];
  sender: { senderName: string; custom: boolean };
  updates: UpdateMailTemplateRequest[];
  resets: ResetMailTemplateRequest[];
  previews: PreviewMailTemplateRequest[];
  senderUpdates: UpdateMailSenderRequest[];
};

/** violationError is the server's InvalidArgument on one field path. */
export function violationError(path: string[], ruleId: string): ConnectError {
  const detail = create(ViolationsSchema, { violations: [{ field: { elements: path.map((fieldName) => ({ fieldName })) }, ruleId }] });
  return errorFromJson(
    { code: "invalid_argument", message: "refused", details: [{ type: "buf.validate.Violations", value: base64Encode(toBinary(ViolationsSchema, detail), "std_raw") }] },
    undefined,
    new ConnectError("fallback"),
  );
}

const sample: Record<string, string> = { Name: "Erika Mustermann", Link: "https://zeugo.example/link#beispiel", ExpiresAt: "31.12.2026", Sender: "Muster GmbH" };

/** render replaces the placeholders like the server does with sample data; unknown ones are refused. */
function render(src: string, allowed: string[]): string {
  return src.replace(/\{\{\.(\w+)\}\}/g, (_, key: string) => {
    if (!allowed.includes(key)) throw violationError(["fields", "text"], "zeugo.mail.unknown_placeholder");
    return sample[key] ?? key;
  });
}

function template(name: string, language: string, subject: string, text: string, placeholders: string[]): MailTemplate {
  return create(MailTemplateSchema, {
    name,
    language,
    defaultContent: { subject, text },
    placeholders,
    requiredPlaceholders: placeholders.includes("Link") ? ["Link"] : [],
  });
}

export function fakeMail(): FakeMail {
  const inv = ["Name", "Link", "ExpiresAt", "Sender"];
  const locked = ["Name", "LockedAt", "Sender"];
  const fake: FakeMail = {
    transport: undefined as unknown as Transport,
    templates: [
      template("invitation", "de", "Einladung von {{.Sender}} zu Zeugo", "Guten Tag {{.Name}},\n\n{{.Link}}\n\nbis {{.ExpiresAt}}", inv),
      template("invitation", "en", "Invitation from {{.Sender}}", "Hello {{.Name}},\n\n{{.Link}}", inv),
      template("password_reset", "de", "Neues Passwort für Zeugo", "Guten Tag {{.Name}},\n\n{{.Link}}", inv),
      template("password_reset", "en", "New password", "Hello {{.Name}},\n\n{{.Link}}", inv),
      template("account_locked", "de", "Zugang gesperrt", "Guten Tag {{.Name}}, gesperrt am {{.LockedAt}}.", locked),
      template("account_locked", "en", "Account locked", "Hello {{.Name}}, locked at {{.LockedAt}}.", locked),
    ],
    sender: { senderName: "Muster GmbH", custom: false },
    updates: [],
    resets: [],
    previews: [],
    senderUpdates: [],
  };
  const find = (name: string, language: string) => {
    const i = fake.templates.findIndex((x) => x.name === name && x.language === language);
    if (i < 0) throw new ConnectError("not found", Code.NotFound);
    return i;
  };
  fake.transport = createRouterTransport(({ service }) => {
    service(MailTemplateService, {
      listMailTemplates: () => ({ templates: fake.templates }),
      updateMailTemplate(req) {
        fake.updates.push(req);
        const i = find(req.name, req.language);
        const cur = fake.templates[i]!;
        if (req.version !== cur.version) throw new ConnectError("stale", Code.Aborted);
        render(req.fields?.text ?? "", cur.placeholders);
        const next = create(MailTemplateSchema, { ...cur, customContent: req.fields, overridden: true, version: cur.version + 1n });
        fake.templates[i] = next;
        return { template: next };
      },
      resetMailTemplate(req) {
        fake.resets.push(req);
        const i = find(req.name, req.language);
        const cur = fake.templates[i]!;
        if (!cur.overridden || req.version !== cur.version) throw new ConnectError("stale", Code.Aborted);
        const next = create(MailTemplateSchema, { ...cur, customContent: undefined, overridden: false, version: 0n });
        fake.templates[i] = next;
        return { template: next };
      },
      previewMailTemplate(req) {
        fake.previews.push(req);
        const cur = fake.templates[find(req.name, req.language)]!;
        const text = render(req.fields?.text ?? "", cur.placeholders);
        return { senderName: fake.sender.senderName, subject: render(req.fields?.subject ?? "", cur.placeholders), text, html: "" };
      },
    });
    service(MailSenderService, {
      getMailSender: () => ({ sender: fake.sender }),
      updateMailSender(req) {
        fake.senderUpdates.push(req);
        fake.sender = { senderName: req.fields?.senderName ?? "", custom: true };
        return { sender: fake.sender };
      },
    });
  });
  return fake;
}
