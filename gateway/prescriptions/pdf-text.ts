/**
 * Text layer of an uploaded PDF via unpdf (a maintained pdf.js build for servers). A file that is
 * not a PDF is INVALID_PDF; a PDF whose text layer holds no real text (a scan, or a scan with an
 * empty or junk layer) is OCR_NOT_AVAILABLE, which the intake answers by OCR of the pages.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { WardClerkError } from '../../core/errors.js';

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

export function looksLikePdf(bytes: Uint8Array): boolean {
  // The header may follow up to 1 KB of junk, as readers tolerate.
  const limit = Math.min(bytes.length - PDF_MAGIC.length, 1024);
  for (let i = 0; i <= limit; i++) {
    if (PDF_MAGIC.every((b, j) => bytes[i + j] === b)) return true;
  }
  return false;
}

/** Returns the PDF's text (pages joined by blank lines). */
export async function pdfText(bytes: Uint8Array): Promise<{ text: string; pages: number }> {
  if (!looksLikePdf(bytes)) throw new WardClerkError('INVALID_PDF', 'The file is not a PDF');
  let pages: number;
  let text: string;
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const out = await extractText(pdf, { mergePages: false });
    pages = out.totalPages;
    text = (out.text as string[]).join('\n\n');
    await pdf.destroy();
  } catch (e) {
    throw new WardClerkError('INVALID_PDF', 'The PDF could not be read', { cause: e });
  }
  if (!hasRealText(text)) {
    // Callers with an OCR engine read the pages instead (intake.ts); without one this is the answer.
    throw new WardClerkError('OCR_NOT_AVAILABLE', 'This PDF has no usable text layer (a scan) and no OCR engine is available', {
      details: { pages },
    });
  }
  return { text, pages };
}

const LETTER = /\p{L}/gu;
const WORD = /\p{L}{3,}/u;
/** Words scanners and converters stamp on image-only pages. */
const LEFTOVERS = /\b(?:page|pages|of|scan|scanned|image|document|copy|confidential)\b/giu;

/**
 * Whether a text layer holds real text rather than what scanners and converters leave behind:
 * nothing, whitespace, zero-width or control characters, page numbers ("Page 1 of 2"), rules of
 * dots or dashes. Real text keeps at least 5 letters and a word of 3 or more once those are gone;
 * below that the pages are OCRed (a prescription as short as "Tab. Pan 40 1-0-1" still counts).
 */
export function hasRealText(text: string): boolean {
  const rest = text.replace(LEFTOVERS, ' ');
  const letters = rest.match(LETTER)?.length ?? 0;
  return letters >= 5 && WORD.test(rest);
}
