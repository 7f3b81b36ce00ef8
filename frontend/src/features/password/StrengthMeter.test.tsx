// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { providers } from "../../test/render.js";
import { StrengthMeter } from "./StrengthMeter.js";

afterEach(cleanup);

function rule(id: string) {
  return document.querySelector(`[data-rule="${id}"]`)!;
}

describe("StrengthMeter", () => {
  it("shows the tenant's rules live and rates the password with zxcvbn", async () => {
    const policy = { minLength: 12, composition: true };
    const { rerender } = render(<StrengthMeter password="sommer" policy={policy} userInputs={[]} />, {
      wrapper: providers(),
    });
    expect(screen.getByText("Mindestens 12 Zeichen")).toBeTruthy();
    expect(rule("length").getAttribute("data-met")).toBe("false");
    expect(rule("lower").getAttribute("data-met")).toBe("true");
    expect(rule("upper").getAttribute("data-met")).toBe("false");
    // A common German word: very weak, with zxcvbn's German advice.
    await waitFor(() => expect(screen.getByTestId("password-score").textContent).toBe("sehr schwach"));
    expect(screen.getByTestId("password-warning").textContent).not.toBe("");

    rerender(<StrengthMeter password="Gl4sb!rne-Ofenrohr-Kompass" policy={policy} userInputs={[]} />);
    for (const id of ["length", "lower", "upper", "digit", "special"]) {
      expect(rule(id).getAttribute("data-met")).toBe("true");
    }
    await waitFor(() => expect(screen.getByTestId("password-score").textContent).toBe("sehr stark"));
  });

  it("treats the person's name as guessable", async () => {
    const policy = { minLength: 8, composition: false };
    render(<StrengthMeter password="hofmeister" policy={policy} userInputs={["Johanna Hofmeister"]} />, {
      wrapper: providers(),
    });
    await waitFor(() => expect(screen.getByTestId("password-score").textContent).toBe("sehr schwach"));
  });

  it("shows only the length rule without the composition rule", () => {
    render(<StrengthMeter password="" policy={{ minLength: 10, composition: false }} userInputs={[]} />, {
      wrapper: providers(),
    });
    expect(document.querySelectorAll("[data-rule]")).toHaveLength(1);
    expect(screen.getByTestId("password-score").textContent).toBe("–");
  });
});
