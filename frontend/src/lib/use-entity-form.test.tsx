// @vitest-environment happy-dom
import { create, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError } from "@connectrpc/connect";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";
import { Button, TextInput } from "@mantine/core";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FormAlerts } from "../components/FormAlerts.js";
import { CreateUnitRequestSchema, UnitKind } from "../gen/zeugo/v1/organization_pb.js";
import { providers } from "../test/render.js";
import { saveCall, useEntityForm } from "./use-entity-form.js";

afterEach(cleanup);

type Values = { name: string; description: string };

function UnitForm({ send, onSaved, reload }: { send: (req: unknown) => Promise<unknown>; onSaved: (v: Values) => void; reload: () => void }) {
  const entity = useEntityForm<Values>({
    initialValues: { name: "", description: "" },
    fieldOrder: ["name", "description"],
    save: (fields) => saveCall(CreateUnitRequestSchema, { kind: UnitKind.LOCATION, fields }, send),
    onSaved,
    reload,
  });
  return (
    <form onSubmit={entity.submit} noValidate>
      <FormAlerts {...entity.alerts} />
      <TextInput label="Name" {...entity.form.getInputProps("name")} />
      <TextInput label="Beschreibung" {...entity.form.getInputProps("description")} />
      <Button type="submit">Speichern</Button>
    </form>
  );
}

function setup(send: (req: unknown) => Promise<unknown>) {
  const onSaved = vi.fn();
  const reload = vi.fn();
  render(<UnitForm send={send} onSaved={onSaved} reload={reload} />, { wrapper: providers() });
  const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
  const save = () => fireEvent.click(screen.getByRole("button", { name: "Speichern" }));
  return { onSaved, reload, fill, save };
}

function serverError(code: string, violations: MessageInitShape<typeof ViolationsSchema>["violations"]): ConnectError {
  const detail = create(ViolationsSchema, { violations });
  return errorFromJson(
    { code, message: "refused", details: [{ type: "buf.validate.Violations", value: base64Encode(toBinary(ViolationsSchema, detail), "std_raw") }] },
    undefined,
    new ConnectError("fallback"),
  );
}

const errorOf = (label: string) => {
  const input = screen.getByLabelText(label);
  return input.getAttribute("aria-invalid") === "true" ? document.getElementById(input.getAttribute("aria-describedby")?.split(" ").find((id) => id.endsWith("error")) ?? "")?.textContent : undefined;
};

describe("useEntityForm", () => {
  it("checks the proto rules before sending and focuses the first invalid field", async () => {
    const send = vi.fn(async () => ({}));
    const { save } = setup(send);
    save();
    await waitFor(() => expect(errorOf("Name")).toBe("Bitte füllen Sie dieses Feld aus."));
    expect(document.activeElement).toBe(screen.getByLabelText("Name"));
    expect(send).not.toHaveBeenCalled();
  });

  it("sends the trimmed values and reports success", async () => {
    const send = vi.fn(async () => ({}));
    const { fill, save, onSaved } = setup(send);
    fill("Name", "  Werk Nord ");
    save();
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith({ name: "Werk Nord", description: "" }));
    expect(send).toHaveBeenCalledWith({ kind: UnitKind.LOCATION, fields: { name: "Werk Nord", description: "" } });
  });

  it("puts the server's field violations next to the field", async () => {
    const send = vi.fn(async () => {
      throw serverError("already_exists", [
        { ruleId: "zeugo.unique", message: "taken", field: { elements: [{ fieldName: "fields" }, { fieldName: "name" }] } },
      ]);
    });
    const { fill, save, onSaved } = setup(send);
    fill("Name", "Werk Nord");
    save();
    await waitFor(() => expect(errorOf("Name")).toBe("Dieser Name ist bereits vergeben. Bitte wählen Sie einen anderen."));
    expect(onSaved).not.toHaveBeenCalled();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows a stale version as the conflict alert, whose button reloads", async () => {
    const { fill, save, reload } = setup(async () => {
      throw new ConnectError("stale", Code.Aborted);
    });
    fill("Name", "Werk Nord");
    save();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("von jemand anderem geändert");
    fireEvent.click(screen.getByRole("button", { name: "Neu laden" }));
    expect(reload).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
  });

  it("shows other errors as a form-level message", async () => {
    const { fill, save } = setup(async () => {
      throw new ConnectError("internal error (id abc123)", Code.Internal);
    });
    fill("Name", "Werk Nord");
    save();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Fehlernummer abc123");
  });
});
