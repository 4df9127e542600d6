import type { Block } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
import { pagesFromTextract } from './textract-format.js';

const word = (text: string, page: number | undefined, left: number, top: number, conf = 99): Block => ({
  BlockType: 'WORD',
  Text: text,
  Confidence: conf,
  Page: page,
  Geometry: { BoundingBox: { Left: left, Top: top, Width: 0.1, Height: 0.05 } },
});

describe('pagesFromTextract', () => {
  it('groups LINE text and WORD boxes by page, scaling boxes to a 1000-unit page', () => {
    const pages = pagesFromTextract(
      [
        { BlockType: 'PAGE', Page: 1 },
        { BlockType: 'LINE', Text: 'Metformin 500 mg', Page: 1 },
        word('Metformin', 1, 0.1, 0.2, 90),
        word('500', 1, 0.25, 0.2, 80),
        { BlockType: 'LINE', Text: 'twice daily', Page: 3 },
        word('twice', 3, 0.5, 0.5),
      ],
      3,
    );
    expect(pages.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(pages[0]!.text).toBe('Metformin 500 mg');
    expect(pages[0]!.confidence).toBe(85);
    expect(pages[0]!.words[0]!.bbox).toEqual({ x0: 100, y0: 200, x1: 200, y1: 250 });
    expect(pages[1]).toEqual({ index: 1, text: '', confidence: 0, words: [] });
    expect(pages[2]!.text).toBe('twice daily');
  });

  it('treats blocks without Page (sync single-page responses) as page 1, and handles many blocks', () => {
    const blocks: Block[] = Array.from({ length: 200_000 }, (_, i) => word(`w${i}`, undefined, 0, 0));
    const pages = pagesFromTextract(blocks);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.words).toHaveLength(200_000);
  });
});
