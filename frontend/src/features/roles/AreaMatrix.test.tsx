// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { createI18n } from "../../i18n/index.js";
import { providers } from "../../test/render.js";
import { AreaMatrix } from "./AreaMatrix.js";
import { areaInfos, toggleArea } from "./areas.js";

afterEach(cleanup);

function Harness({ initial, onChange }: { initial: Area[]; onChange?: (a: Area[]) => void }) {
  const [value, setValue] = useState<Area[]>(initial);
  return (
    <AreaMatrix
      value={value}
      onChange={(a) => {
        setValue(a);
        onChange?.(a);
      }}
    />
  );
}

const box = (name: string) => screen.getByRole("checkbox", { name: new RegExp(`^${name}`) }) as HTMLInputElement;

describe("toggleArea", () => {
  it("keeps the order of SPEC §3.2 and no duplicates", () => {
    expect(toggleArea([Area.ROLES], Area.EMPLOYEES, true)).toEqual([Area.EMPLOYEES, Area.ROLES]);
    expect(toggleArea([Area.EMPLOYEES, Area.ROLES], Area.EMPLOYEES, true)).toEqual([Area.EMPLOYEES, Area.ROLES]);
    expect(toggleArea([Area.EMPLOYEES, Area.ROLES], Area.EMPLOYEES, false)).toEqual([Area.ROLES]);
  });

  it("makes Administrator stand alone: it includes every other area", () => {
    expect(toggleArea([Area.EMPLOYEES, Area.USERS], Area.ADMINISTRATOR, true)).toEqual([Area.ADMINISTRATOR]);
    expect(toggleArea([Area.ADMINISTRATOR], Area.ADMINISTRATOR, false)).toEqual([]);
    // While Administrator is set the others are locked.
    expect(toggleArea([Area.ADMINISTRATOR], Area.USERS, false)).toEqual([Area.ADMINISTRATOR]);
  });
});

describe("AreaMatrix", () => {
  it("shows all 15 areas with German names and an explanation each", () => {
    render(<Harness initial={[]} />, { wrapper: providers() });
    expect(screen.getAllByRole("checkbox")).toHaveLength(15);
    const de = createI18n("de");
    const en = createI18n("en");
    for (const { key } of areaInfos) {
      const name = de.t(`roles.areas.${key}.name`);
      expect(name).not.toBe(`roles.areas.${key}.name`);
      expect(de.t(`roles.areas.${key}.hint`)).not.toBe(`roles.areas.${key}.hint`);
      expect(en.t(`roles.areas.${key}.hint`)).not.toBe(`roles.areas.${key}.hint`);
      expect(box(name)).toBeTruthy();
    }
    expect(screen.getByText("Benutzer einladen, bearbeiten, deaktivieren und entsperren.")).toBeTruthy();
  });

  it("checks and unchecks single areas", () => {
    const onChange = vi.fn();
    render(<Harness initial={[Area.EMPLOYEES]} onChange={onChange} />, { wrapper: providers() });
    expect(box("Mitarbeiter").checked).toBe(true);
    fireEvent.click(box("Rollen"));
    expect(onChange).toHaveBeenLastCalledWith([Area.EMPLOYEES, Area.ROLES]);
    fireEvent.click(box("Mitarbeiter"));
    expect(onChange).toHaveBeenLastCalledWith([Area.ROLES]);
    expect(box("Mitarbeiter").checked).toBe(false);
    expect(box("Rollen").checked).toBe(true);
  });

  it("shows every area granted and locked while Administrator is set", () => {
    const onChange = vi.fn();
    render(<Harness initial={[Area.USERS]} onChange={onChange} />, { wrapper: providers() });
    fireEvent.click(box("Administrator"));
    expect(onChange).toHaveBeenLastCalledWith([Area.ADMINISTRATOR]);
    for (const name of ["Mitarbeiter", "Benutzer", "Schnittstellen", "Account"]) {
      expect(box(name).checked).toBe(true);
      expect(box(name).disabled).toBe(true);
    }
    fireEvent.click(box("Administrator"));
    expect(onChange).toHaveBeenLastCalledWith([]);
    expect(box("Benutzer").checked).toBe(false);
    expect(box("Benutzer").disabled).toBe(false);
  });

  it("is read-only for the builtin role", () => {
    render(<AreaMatrix value={[Area.ADMINISTRATOR]} onChange={() => {}} readOnly />, { wrapper: providers() });
    expect(screen.getAllByRole("checkbox").every((c) => (c as HTMLInputElement).disabled)).toBe(true);
  });
});
