// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AuthService, type ChangePasswordRequest } from "../../gen/zeugo/v1/auth_pb.js";
import { providers, signedIn, testPrincipal } from "../../test/render.js";
import { ChangePasswordCard } from "./ChangePasswordCard.js";

afterEach(cleanup);

const current = "Alt-Passw0rt!x";

function violation(field: string, ruleId: string) {
  return new ConnectError(ruleId, Code.InvalidArgument, undefined, [
    {
      desc: ViolationsSchema,
      value: create(ViolationsSchema, {
        violations: [{ field: { elements: [{ fieldName: field }] }, ruleId, message: ruleId }],
      }),
    },
  ]);
}

function fakeAuth(changed: ChangePasswordRequest[]) {
  return createRouterTransport(({ service }) => {
    service(AuthService, {
      getPasswordPolicy: () => ({ policy: { minLength: 12, composition: true } }),
      changePassword: (req) => {
        if (req.currentPassword !== current) throw violation("current_password", "password.current_wrong");
        if (req.newPassword.includes("Erika")) throw violation("new_password", "password.contains_name");
        changed.push(req);
        return {};
      },
    });
  });
}

function type(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

const submit = () => fireEvent.click(screen.getByRole("button", { name: "Passwort ändern" }));

describe("ChangePasswordCard", () => {
  it("shows the tenant's rules, the server's verdicts at their fields, and changes the password", async () => {
    const changed: ChangePasswordRequest[] = [];
    const session = await signedIn(testPrincipal([]));
    render(<ChangePasswordCard />, { wrapper: providers(fakeAuth(changed), "/", session) });
    await screen.findByText("Mindestens 12 Zeichen");

    type(/Aktuelles Passwort/, "falsch");
    type(/^Neues Passwort\W*$/, "Gl4sb!rne-Ofenrohr");
    type(/wiederholen/, "Gl4sb!rne-Ofenrohr");
    submit();
    await screen.findByText("Das aktuelle Passwort ist nicht richtig.");
    expect((screen.getByLabelText(/Aktuelles Passwort/) as HTMLInputElement).value).toBe("");

    type(/Aktuelles Passwort/, current);
    type(/^Neues Passwort\W*$/, "Erika-Gl4sb!rne");
    type(/wiederholen/, "Erika-Gl4sb!rne");
    submit();
    await screen.findByText(/darf weder Ihren Namen/);

    // Too short for the tenant's 12 characters: refused before sending.
    type(/^Neues Passwort\W*$/, "Kurz-9!x");
    type(/wiederholen/, "Kurz-9!x");
    submit();
    await screen.findByText("Das Passwort erfüllt noch nicht alle Regeln unten.");
    expect(changed).toEqual([]);

    type(/^Neues Passwort\W*$/, "Gl4sb!rne-Ofenrohr");
    type(/wiederholen/, "Gl4sb!rne-Ofenrohr");
    submit();
    await waitFor(() => expect(changed).toHaveLength(1));
    expect(changed[0]?.currentPassword).toBe(current);
    expect(changed[0]?.newPassword).toBe("Gl4sb!rne-Ofenrohr");
    await waitFor(() => expect((screen.getByLabelText(/^Neues Passwort\W*$/) as HTMLInputElement).value).toBe(""));
  });
});
