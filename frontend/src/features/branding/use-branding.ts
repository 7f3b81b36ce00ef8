// Applies the tenant's branding to the signed-in app: the accent replaces
// the theme's colour through CSS variables on the document element (set
// through the CSSOM, which the Content-Security-Policy allows, and removed
// again on sign-out), and the logo becomes a data: URL for the header
// (img-src allows 'self' and data: only).
import { useEffect, useMemo } from "react";
import { useBranding } from "../../api/branding.js";
import { accentVariables, isHexColor } from "./palette.js";

/** useApplyBranding applies the accent and returns the logo's URL, if any. */
export function useApplyBranding(): string | undefined {
  const { data } = useBranding();
  const branding = data?.branding;
  const accent = branding?.accentColor ?? "";
  useEffect(() => {
    if (!isHexColor(accent)) return;
    const style = document.documentElement.style;
    const vars = accentVariables(accent);
    for (const [k, v] of Object.entries(vars)) style.setProperty(k, v);
    return () => {
      for (const k of Object.keys(vars)) style.removeProperty(k);
    };
  }, [accent]);
  const logo = branding?.logoPng;
  return useMemo(() => (logo && logo.length > 0 ? pngDataUrl(logo) : undefined), [logo]);
}

/** pngDataUrl is bytes as a data: URL of a PNG. */
export function pngDataUrl(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(bin)}`;
}
