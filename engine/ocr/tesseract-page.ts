/**
 * Conversion of tesseract.js results (blocks → paragraphs → lines → words) into `OcrPage`, and the
 * score used to pick the best orientation of a page.
 */
import type { OcrPage, OcrWord } from '../providers/ocr-model.js';

interface Bbox { x0: number; y0: number; x1: number; y1: number }
interface TWord { text: string; confidence: number; bbox: Bbox }
interface TLine { text: string; words: TWord[] }

/** The slice of tesseract.js `Page` this module reads. */
export interface TesseractPage {
  text: string;
  confidence: number;
  blocks: Array<{ paragraphs: Array<{ lines: TLine[] }> }> | null;
}

function lines(p: TesseractPage): TLine[] {
  return (p.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((para) => para.lines));
}

/**
 * Orientation score: confidence mass of plausible words (2+ letters or digits). Text read sideways
 * yields few, short, low-confidence fragments, so summing beats averaging, which a single
 * confident speck would win.
 */
export function orientationScore(p: TesseractPage): number {
  let s = 0;
  for (const l of lines(p)) for (const w of l.words) if (/[A-Za-z0-9]{2,}/.test(w.text)) s += w.confidence;
  return s;
}

/**
 * Builds the page; boxes are divided by `scale` so they are in pixels of the image as given
 * (after the `rotation` that was applied, clockwise in degrees).
 */
export function pageFromTesseract(p: TesseractPage, index: number, scale: number, rotation: 0 | 90 | 180 | 270): OcrPage {
  const words: OcrWord[] = [];
  const textLines: string[] = [];
  for (const l of lines(p)) {
    const lineWords = l.words.filter((w) => w.text.trim() !== '');
    if (lineWords.length === 0) continue;
    textLines.push(lineWords.map((w) => w.text).join(' '));
    for (const w of lineWords) {
      words.push({
        text: w.text,
        confidence: w.confidence,
        bbox: { x0: w.bbox.x0 / scale, y0: w.bbox.y0 / scale, x1: w.bbox.x1 / scale, y1: w.bbox.y1 / scale },
      });
    }
  }
  const confidence = words.length ? words.reduce((a, w) => a + w.confidence, 0) / words.length : 0;
  return { index, text: textLines.join('\n'), confidence, words, rotation };
}
