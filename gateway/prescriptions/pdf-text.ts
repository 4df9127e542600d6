/**
 * Text layer of an uploaded PDF via unpdf (a maintained pdf.js build for servers). A file that is
 * not a PDF is INVALID_PDF; a PDF without a text layer (a scan) is OCR_NOT_AVAILABLE until the
 * inference engine's OCR handles it.
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
  if (text.replace(/\s+/g, '').length < 3) {
    throw new WardClerkError('OCR_NOT_AVAILABLE', 'This PDF has no text layer (a scan); OCR of scanned documents arrives with the inference engine', {
      details: { pages },
    });
  }
  return { text, pages };
}
