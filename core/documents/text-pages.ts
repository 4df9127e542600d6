/**
 * Pages of a document that has no pages of its own (plain text, DOCX): a form feed or an explicit
 * page break starts a page, and a stretch longer than TEXT_PAGE_CHARS is cut into pages of at
 * most that size, at a line break where one is near, else at a space. The gateway counts pages
 * with it before answering (the 300-page limit) and the worker reads the same pages, so both
 * agree on page numbers. Pure.
 */

/** Most characters in one page of a text or DOCX document. */
export const TEXT_PAGE_CHARS = 12_000;

/** Cuts `text` into pieces of at most `max` characters, preferring a line break, then a space, in the last fifth. */
export function cutLong(text: string, max = TEXT_PAGE_CHARS): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const floor = Math.floor(max * 0.8);
    let cut = rest.lastIndexOf('\n', max);
    if (cut < floor) cut = rest.lastIndexOf(' ', max);
    if (cut < floor) cut = max;
    else cut += 1; // keep the separator with the page it ends
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  out.push(rest);
  return out;
}

/** The pages of a plain-text document (a leading byte-order mark dropped). Always at least one page. */
export function textPages(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.split('\f').flatMap((p) => cutLong(p));
}
