// The tenant's accent colour as Mantine's ten shades, and the contrast rule
// the server applies (package branding): white text on the colour, and the
// colour as text on white, need 4.5:1 (WCAG AA).

/** minContrast is the contrast an accent needs against white. */
export const minContrast = 4.5;

const hexPattern = /^#[0-9a-fA-F]{6}$/;

/** isHexColor: "#rrggbb". */
export function isHexColor(s: string): boolean {
  return hexPattern.test(s);
}

function rgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

function toHex([r, g, b]: [number, number, number]): string {
  return "#" + [r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");
}

/** contrastWithWhite is the WCAG contrast ratio of hex against white. */
export function contrastWithWhite(hex: string): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = rgb(hex);
  const l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return 1.05 / (l + 0.05);
}

function mix(hex: string, other: [number, number, number], amount: number): string {
  const c = rgb(hex);
  return toHex([0, 1, 2].map((i) => c[i]! + (other[i]! - c[i]!) * amount) as [number, number, number]);
}

// How far each shade is mixed towards white (0–6) or black (8–9); shade 7
// is the accent itself, the shade the theme uses for filled buttons.
const towardsWhite = [0.92, 0.84, 0.68, 0.52, 0.38, 0.24, 0.12];
const towardsBlack = [0.15, 0.3];

/** accentShades are the ten shades of hex, shade 7 being hex itself. */
export function accentShades(hex: string): string[] {
  const c = hex.toLowerCase();
  return [
    ...towardsWhite.map((a) => mix(c, [255, 255, 255], a)),
    c,
    ...towardsBlack.map((a) => mix(c, [0, 0, 0], a)),
  ];
}

/** The CSS variables the accent replaces: the theme's own colour and the primary colour. */
export function accentVariables(hex: string): Record<string, string> {
  const out: Record<string, string> = {};
  accentShades(hex).forEach((shade, i) => {
    out[`--mantine-color-zeugo-${i}`] = shade;
    out[`--mantine-primary-color-${i}`] = shade;
  });
  return out;
}
