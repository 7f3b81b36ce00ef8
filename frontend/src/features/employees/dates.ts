// Dates of the employee screens: the API speaks YYYY-MM-DD (a calendar
// day, no time zone), people read and type TT.MM.JJJJ.

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const germanPattern = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/** realDay: the year, month and day name a day of the calendar (no 30 February). */
function realDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * parseDate reads what a person typed — "1.2.2024", "01.02.2024" or
 * "2024-02-01" — as YYYY-MM-DD; "" stays "" and anything else is undefined.
 */
export function parseDate(text: string): string | undefined {
  const s = text.trim();
  if (s === "") return "";
  const g = germanPattern.exec(s);
  if (g) {
    const [d, m, y] = [Number(g[1]), Number(g[2]), Number(g[3])];
    return realDay(y, m, d) ? iso(y, m, d) : undefined;
  }
  const i = isoPattern.exec(s);
  if (i) {
    const [y, m, d] = [Number(i[1]), Number(i[2]), Number(i[3])];
    return realDay(y, m, d) ? iso(y, m, d) : undefined;
  }
  return undefined;
}

/** formatDate shows YYYY-MM-DD as TT.MM.JJJJ; anything else is shown as it is. */
export function formatDate(value: string): string {
  const i = isoPattern.exec(value);
  return i ? `${i[3]}.${i[2]}.${i[1]}` : value;
}
