/**
 * Textract wire format → `OcrPage[]`. Textract returns a flat list of PAGE, LINE and WORD blocks;
 * LINE blocks arrive in reading order. Boxes are page ratios; they are scaled to a 1000×1000 page
 * so they share units with nothing else by accident (see OcrModel).
 */
import type { Block } from '@aws-sdk/client-textract';
import type { OcrPage } from './ocr-model.js';

const PAGE_UNITS = 1000;

/** Groups blocks by page (1-based `Page`, absent in single-page sync responses) into OCR pages. */
export function pagesFromTextract(blocks: Block[], pageCount?: number): OcrPage[] {
  // A loop, not Math.max(...spread): a long document has more blocks than a call has arguments.
  let n = Math.max(pageCount ?? 0, 1);
  for (const b of blocks) if ((b.Page ?? 1) > n) n = b.Page ?? 1;
  const pages: OcrPage[] = Array.from({ length: n }, (_, index) => ({ index, text: '', confidence: 0, words: [] }));
  const lines: string[][] = pages.map(() => []);
  for (const b of blocks) {
    const i = (b.Page ?? 1) - 1;
    const page = pages[i];
    if (!page || !b.Text) continue;
    if (b.BlockType === 'LINE') lines[i]!.push(b.Text);
    else if (b.BlockType === 'WORD') {
      const box = b.Geometry?.BoundingBox;
      const x0 = (box?.Left ?? 0) * PAGE_UNITS;
      const y0 = (box?.Top ?? 0) * PAGE_UNITS;
      page.words.push({
        text: b.Text,
        confidence: b.Confidence ?? 0,
        bbox: { x0, y0, x1: x0 + (box?.Width ?? 0) * PAGE_UNITS, y1: y0 + (box?.Height ?? 0) * PAGE_UNITS },
      });
    }
  }
  pages.forEach((p, i) => {
    p.text = lines[i]!.join('\n');
    p.confidence = p.words.length ? p.words.reduce((a, w) => a + w.confidence, 0) / p.words.length : 0;
  });
  return pages;
}
