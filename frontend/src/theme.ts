import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from "@mantine/core";

// A calm petrol blue; readable contrast at shade 7 on white (WCAG AA).
const zeugo: MantineColorsTuple = [
  "#eaf3f8",
  "#d6e6ef",
  "#a9cadd",
  "#79adca",
  "#5394ba",
  "#3b85b1",
  "#2d7cac",
  "#1f6a97",
  "#145e87",
  "#005177",
];

// Mantine's red with shades 6–9 darkened: filled buttons with white text and
// red text on white reach WCAG AA contrast (4.5:1) at the default shade 6.
const red: MantineColorsTuple = [
  "#fff5f5",
  "#ffe3e3",
  "#ffc9c9",
  "#ffa8a8",
  "#ff8787",
  "#ff6b6b",
  "#c92a2a",
  "#b52525",
  "#a12020",
  "#8c1b1b",
];

// System fonts only: no web fonts, nothing loaded from anywhere.
const systemFonts =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif';

export const theme = createTheme({
  primaryColor: "zeugo",
  primaryShade: 7,
  colors: { zeugo, red },
  fontFamily: systemFonts,
  headings: { fontFamily: systemFonts, fontWeight: "650" },
  defaultRadius: "md",
  cursorType: "pointer",
  focusRing: "auto",
});

/**
 * WCAG AA needs 4.5:1 for text. Mantine's "dimmed" grey (gray 6) reaches 3.3:1
 * on white; this darker grey reaches 6:1 and still reads as secondary text.
 * (Error texts use red 6, darkened in the palette above.)
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "#5c636a" },
  dark: {},
});
