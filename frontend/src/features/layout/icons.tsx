// The document layout's own line icon, drawn like those of components/icons.

/** IconLayout: a page with a letterhead and text lines — Zeugnisformatierung in the navigation. */
export function IconLayout({ size = 18 }: { size?: number }) {
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
      <path d="M6 3h12a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1z" />
      <path d="M8 7h4M8 11h8M8 14h8M8 17h5" />
    </svg>
  );
}
