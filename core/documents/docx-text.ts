/**
 * The text of a DOCX (Office Open XML) document, page by page: `word/document.xml` is read through
 * the bounded ZIP reader (zip-reader.ts) and its runs become text — paragraphs and line breaks as
 * new lines, tabs and table cells as tabs, table rows as new lines — and an explicit page break
 * starts a page (then text-pages.ts cuts over-long pages). Pure apart from inflating.
 */
import { WardClerkError } from '../errors.js';
import { cutLong } from './text-pages.js';
import { DEFAULT_ZIP_LIMITS, readZipDirectory, readZipEntry, type ZipLimits } from './zip-reader.js';

/** Largest `word/document.xml` inflated (markup is several times the text). */
export const MAX_DOCX_XML_BYTES = 64 * 1024 * 1024;

const TOKEN = /<(\/?)([A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)([^>]*)>|([^<]+)/g;
const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(ENTITY, (_m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name]!;
    const code = dec ? Number(dec) : Number.parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** Pages of text from `word/document.xml` markup. */
export function docxXmlPages(xml: string): string[] {
  const pages: string[] = [];
  let page = '';
  let inText = false;
  let inTabStops = false;
  for (const m of xml.matchAll(TOKEN)) {
    const [, close, , local, attrs, chars] = m;
    if (chars !== undefined) {
      if (inText) page += decodeEntities(chars);
      continue;
    }
    const selfClosing = attrs!.endsWith('/');
    if (local === 't') inText = !close && !selfClosing;
    else if (local === 'tabs') inTabStops = !close && !selfClosing;
    else if (close && (local === 'p' || local === 'tr')) page += '\n';
    else if (close && local === 'tc') page += '\t';
    else if (!close && local === 'tab' && !inTabStops) page += '\t';
    else if (!close && (local === 'cr' || local === 'br')) {
      if (/w:type="page"/.test(attrs!)) {
        pages.push(page);
        page = '';
      } else {
        page += '\n';
      }
    }
  }
  pages.push(page);
  return pages.flatMap((p) => cutLong(p));
}

/** The pages of a DOCX file. INVALID_DOCX when it holds no `word/document.xml`; ARCHIVE_TOO_LARGE for a ZIP bomb. */
export function docxPages(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): string[] {
  const entries = readZipDirectory(bytes, limits);
  const main = entries.find((e) => e.name === 'word/document.xml');
  if (!main) throw new WardClerkError('INVALID_DOCX', 'The archive is not a Word document', { details: { reason: 'no_document_xml' } });
  const xml = readZipEntry(bytes, main, MAX_DOCX_XML_BYTES).toString('utf8');
  return docxXmlPages(xml);
}
