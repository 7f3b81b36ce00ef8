// @vitest-environment happy-dom
import { create } from "@bufbuild/protobuf";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ListAccessOptionsResponseSchema } from "../../gen/zeugo/v1/users_pb.js";
import { providers } from "../../test/render.js";
import { AccessPicker, noAccess, type AccessValue } from "./AccessPicker.js";

afterEach(cleanup);

const options = create(ListAccessOptionsResponseSchema, {
  companies: [
    { id: "c1", name: "Muster GmbH" },
    { id: "c2", name: "Muster Logistik GmbH" },
  ],
  locations: [{ id: "l1", name: "Berlin" }],
  departments: [{ id: "d1", name: "Personal" }],
  orgUnits: [],
  employeeTypes: [{ id: "e1", name: "Auszubildende" }],
});

function Harness({ initial, roleGrantsAll = false, onChange }: { initial: AccessValue; roleGrantsAll?: boolean; onChange?: (v: AccessValue) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <AccessPicker
      value={value}
      options={options}
      roleGrantsAll={roleGrantsAll}
      onChange={(v) => {
        setValue(v);
        onChange?.(v);
      }}
      errors={{ locationIds: "Dieser Eintrag existiert nicht (mehr). Bitte wählen Sie einen anderen." }}
    />
  );
}

const allSwitch = () => screen.getByRole("switch", { name: /Alle Zeugnisse \(Administrator\)/ }) as HTMLInputElement;
const dimensionLabels = ["Unternehmen", "Standorte", "Abteilungen", "Organisationseinheiten", "Mitarbeitertypen"];

describe("AccessPicker", () => {
  it("hides the five dimensions while 'Alle Zeugnisse (Administrator)' is on", () => {
    const onChange = vi.fn();
    render(<Harness initial={{ ...noAccess, all: true }} onChange={onChange} />, { wrapper: providers() });
    expect(allSwitch().checked).toBe(true);
    for (const label of dimensionLabels) expect(screen.queryAllByLabelText(label)).toHaveLength(0);
    fireEvent.click(allSwitch());
    expect(onChange).toHaveBeenLastCalledWith({ ...noAccess, all: false });
    for (const label of dimensionLabels) expect(screen.getAllByLabelText(label).length).toBeGreaterThan(0);
    // Nothing chosen and not all: the user would see nothing, and is told so.
    expect(screen.getByText("Ohne Auswahl sieht der Benutzer keine Zeugnisse.")).toBeTruthy();
  });

  it("picks companies and units from the organisation structure", async () => {
    const onChange = vi.fn();
    render(<Harness initial={noAccess} onChange={onChange} />, { wrapper: providers() });
    fireEvent.click(document.getElementById("access-companyIds")!);
    fireEvent.click(await screen.findByRole("option", { name: "Muster Logistik GmbH" }));
    expect(onChange).toHaveBeenLastCalledWith({ ...noAccess, companyIds: ["c2"] });
    expect(screen.queryByText("Ohne Auswahl sieht der Benutzer keine Zeugnisse.")).toBeNull();
    // A server field error shows next to its dimension.
    expect(screen.getByText("Dieser Eintrag existiert nicht (mehr). Bitte wählen Sie einen anderen.")).toBeTruthy();
  });

  it("keeps a chosen id whose unit is gone, so it can be removed", () => {
    render(<Harness initial={{ ...noAccess, departmentIds: ["gone"] }} />, { wrapper: providers() });
    expect(screen.getAllByText("gone").length).toBeGreaterThan(0);
  });

  it("says that a role with the Administrator area sees everything", () => {
    render(<Harness initial={noAccess} roleGrantsAll />, { wrapper: providers() });
    expect(screen.queryByRole("switch")).toBeNull();
    expect(screen.getByText(/umfasst den Bereich Administrator/)).toBeTruthy();
  });
});
