// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { AuthService } from "../../gen/zeugo/v1/auth_pb.js";
import { routes } from "../../routes.js";
import { providers } from "../../test/render.js";
import { forgetFragmentToken } from "./fragment.js";

afterEach(() => {
  cleanup();
  forgetFragmentToken();
});

const token = "00112233445566778899aabbccddeeff.c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I";

function fakeAuth(accepted: string[], seen: string[]) {
  return createRouterTransport(({ service }) => {
    service(AuthService, {
      getInvitation: (req) => {
        seen.push(req.token);
        if (req.token !== token) throw new ConnectError("the link is invalid or has expired", Code.NotFound);
        return {
          firstName: "Johanna",
          email: "j.hofmeister@alpha.example",
          tenantName: "Alpha AG",
          policy: { minLength: 10, composition: true },
        };
      },
      acceptInvitation: (req) => {
        if (req.password.toLowerCase().includes("sommer")) {
          throw new ConnectError("the password is too common", Code.InvalidArgument, undefined, [
            {
              desc: ViolationsSchema,
              value: create(ViolationsSchema, {
                violations: [
                  {
                    field: { elements: [{ fieldName: "password", fieldNumber: 2 }] },
                    ruleId: "password.breached",
                    message: "the password is too common",
                  },
                ],
              }),
            },
          ]);
        }
        accepted.push(req.password);
        return {};
      },
    });
  });
}

function renderAt(hash: string) {
  window.history.replaceState(null, "", `/register${hash}`);
  const accepted: string[] = [];
  const seen: string[] = [];
  const router = createMemoryRouter(routes, { initialEntries: ["/register"] });
  render(<RouterProvider router={router} />, { wrapper: providers(fakeAuth(accepted, seen), null) });
  return { router, accepted, seen };
}

function type(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe("RegisterPage", () => {
  it("takes the token from the fragment, clears it, and sets the password", async () => {
    const { router, accepted, seen } = renderAt(`#${token}`);
    expect(window.location.hash).toBe("");
    expect(window.location.pathname).toBe("/register");
    await screen.findByText("Willkommen, Johanna");
    expect(seen).toEqual([token]);
    expect((screen.getByLabelText(/E-Mail-Adresse/) as HTMLInputElement).value).toBe("j.hofmeister@alpha.example");
    expect(screen.getByText("Mindestens 10 Zeichen")).toBeTruthy();

    // The server's verdict appears next to the field.
    type(/^Neues Passwort\W*$/, "Sommer2024!!");
    type(/wiederholen/, "Sommer2024!!");
    fireEvent.click(screen.getByRole("button", { name: /Passwort festlegen/ }));
    await screen.findByText(/steht auf einer Liste häufiger oder gestohlener Passwörter/);
    expect(accepted).toEqual([]);

    // Mismatch is caught before sending.
    type(/^Neues Passwort\W*$/, "Gl4sb!rne-Ofenrohr");
    type(/wiederholen/, "Gl4sb!rne-Ofenroh");
    fireEvent.click(screen.getByRole("button", { name: /Passwort festlegen/ }));
    await screen.findByText("Die beiden Passwörter stimmen nicht überein.");

    type(/wiederholen/, "Gl4sb!rne-Ofenrohr");
    fireEvent.click(screen.getByRole("button", { name: /Passwort festlegen/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
    expect(accepted).toEqual(["Gl4sb!rne-Ofenrohr"]);
    expect(router.state.location.state).toEqual({ notice: "registered" });
  });

  it("shows one answer for an invalid link", async () => {
    renderAt("#kaputt");
    await screen.findByText("Der Link ist ungültig oder abgelaufen.");
    expect(window.location.hash).toBe("");
  });

  it("shows the same answer without any token", async () => {
    const { seen } = renderAt("");
    await screen.findByText("Der Link ist ungültig oder abgelaufen.");
    expect(seen).toEqual([]);
  });
});
