// Individualisierung: the accent colour recolours the app for the tenant's
// users (and a colour too light for white text is refused at the field),
// the logo appears in the header, and a mail template goes to oneself as a
// test mail. A tenant of its own, so the demo tenant keeps its colours.
import { Buffer } from "node:buffer";
import { deflateSync } from "node:zlib";
import { expect, login, screenshot, test, uniqueName } from "./fixtures.js";
import { waitForMail } from "./mail.js";
import { createTenant, ownTenantsPossible } from "./tenant.js";

/** png is a tiny w×h RGBA PNG of one colour, drawn here (no file on disk). */
function png(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => [0x8c, 0x1b, 0x5a, 0xff]).flat())]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

test.describe("branding", () => {
  test.skip(!ownTenantsPossible(), "needs a server started by global-setup");

  test("accent colour, logo and a test mail to oneself", async ({ page }) => {
    const email = `${uniqueName("marke").replace(/\W+/g, "-").toLowerCase()}@marke.example`;
    const admin = createTenant({ name: uniqueName("Marke GmbH"), adminEmail: email, requireMfa: false });
    await page.goto("/settings/sender");
    await login(page, admin.email, admin.password);
    await expect(page).toHaveURL(/\/settings\/branding$/);
    await expect(page.getByRole("heading", { level: 1, name: "Individualisierung" })).toBeVisible();

    const accent = page.getByRole("textbox", { name: "Akzentfarbe" });
    const section = page.getByRole("region", { name: "Akzentfarbe" });
    // Too light for white text: refused at the field before anything is sent.
    await accent.fill("#ffcc00");
    await expect(section.getByText(/Zu hell: Weiße Schrift auf dieser Farbe erreicht nur 1\.\d : 1/)).toBeVisible();
    await accent.fill("#8c1b5a");
    await section.getByRole("button", { name: "Speichern" }).click();
    await expect(page.getByText("Die Akzentfarbe wurde gespeichert.")).toBeVisible();
    // The app's primary colour is now the accent: the theme's shade 7 is it,
    // and the sender form's save button is filled with it.
    await expect.poll(() => page.evaluate(() => document.documentElement.style.getPropertyValue("--mantine-color-zeugo-7"))).toBe("#8c1b5a");
    await expect(page.getByRole("region", { name: "Absender" }).getByRole("button", { name: "Speichern" })).toHaveCSS(
      "background-color",
      "rgb(140, 27, 90)",
    );

    // The logo: a file that is no image is refused at the field, a PNG shows in the header.
    const logo = page.getByRole("region", { name: "Logo in der Anwendung" });
    let chooser = page.waitForEvent("filechooser");
    await logo.getByRole("button", { name: "Logo hochladen" }).click();
    await (await chooser).setFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("<svg onload=alert(1)>") });
    await expect(logo.getByRole("alert")).toContainText("kein vollständiges PNG- oder JPEG-Bild");
    chooser = page.waitForEvent("filechooser");
    await logo.getByRole("button", { name: "Logo hochladen" }).click();
    await (await chooser).setFiles({ name: "logo.png", mimeType: "image/png", buffer: png(240, 60) });
    await expect(page.getByText("Das Logo wurde gespeichert.")).toBeVisible();
    await expect(page.getByTestId("tenant-logo")).toBeVisible();
    await screenshot(page, "60-branding");

    // After signing in again the branding is applied from the start.
    await page.reload();
    await expect(page.getByTestId("tenant-logo")).toBeVisible();
    await expect(page.getByRole("region", { name: "Absender" }).getByRole("button", { name: "Speichern" })).toHaveCSS(
      "background-color",
      "rgb(140, 27, 90)",
    );

    // A template goes to oneself as a test mail, unsaved changes included.
    await page.goto("/settings/email-templates");
    const text = page.getByRole("textbox", { name: "Text" });
    await text.fill(`${await text.inputValue()}\nPROBE-${Date.now()}`);
    await page.getByRole("button", { name: "Testmail an mich senden" }).click();
    await expect(page.getByText(`Die Testmail an ${admin.email} ist unterwegs.`)).toBeVisible();
    const mail = await waitForMail(admin.email, /^\[Test\] /);
    expect(mail.text).toContain("PROBE-");
  });
});
