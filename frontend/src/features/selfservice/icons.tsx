// The self-service screens' own line icon, drawn like those of components/icons.

/** IconInbox: a tray — the self-service inbox's entry in the navigation. */
export function IconInbox({ size = 18 }: { size?: number }) {
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
      <path d="M4 13h4l1.5 3h5L16 13h4" />
      <path d="M6.5 5h11L20 13v6H4v-6z" />
    </svg>
  );
}
