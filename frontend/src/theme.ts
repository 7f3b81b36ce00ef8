import { createTheme, type MantineColorsTuple } from "@mantine/core";

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

// System fonts only: no web fonts, nothing loaded from anywhere.
const systemFonts =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif';

export const theme = createTheme({
  primaryColor: "zeugo",
  primaryShade: 7,
  colors: { zeugo },
  fontFamily: systemFonts,
  headings: { fontFamily: systemFonts, fontWeight: "650" },
  defaultRadius: "md",
  cursorType: "pointer",
  focusRing: "auto",
});
