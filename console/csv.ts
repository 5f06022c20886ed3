// Console (browser): a CSV file of rows of text, as RFC 4180 writes it, safe to open in a spreadsheet. Nothing here
// touches the page, so it can be tested without a browser.

/**
 * A cell a spreadsheet would take for a formula (=, +, -, @) or that a tab or carriage return could shift: the
 * OWASP advice is to make it text with a leading apostrophe. Audit details hold what people typed (names, addresses).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: guarded against formulas, then quoted when it holds a comma, a quote or a line break (quotes doubled). */
export function csvField(text: string): string {
  const guarded = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** The file: a header line, then one line per row, each ended by CRLF. */
export const csvOf = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
