// The certificate screens' own line icon, drawn like those of components/icons.

/** IconCertificate: a sheet with a seal — the certificates' entry in the navigation. */
export function IconCertificate({ size = 18 }: { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h6" />
      <path d="M14 3l5 5v3" />
      <path d="M8 9h5M8 13h4" />
      <circle cx="17.5" cy="16.5" r="2.5" />
      <path d="M16 18.6V22l1.5-1 1.5 1v-3.4" />
    </svg>
  );
}
