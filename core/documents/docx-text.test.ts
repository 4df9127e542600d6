import { describe, expect, it } from 'vitest';
import { buildDocx } from '../../test/document-fixtures.js';
import { docxPages, docxXmlPages } from './docx-text.js';
import { TEXT_PAGE_CHARS, textPages } from './text-pages.js';

describe('DOCX text', () => {
  it('reads paragraphs, entities and explicit page breaks; tab-stop definitions add nothing', () => {
    expect(docxPages(buildDocx(['Metformin 500 mg & insulin <10 units>', 'HbA1c 7.2%', null, 'Page two']))).toEqual([
      // The break's own paragraph ends on the new page.
      'Metformin 500 mg & insulin <10 units>\nHbA1c 7.2%\n', '\nPage two\n',
    ]);
  });

  it('reads table cells as tabs and rows as lines, numeric entities as characters', () => {
    const xml = '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Na</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>140 &#x2192; 138</w:t></w:r></w:p></w:tc></w:tr></w:tbl>';
    expect(docxXmlPages(xml)).toEqual(['Na\n\t140 → 138\n\t\n']);
  });
});

describe('text pages', () => {
  it('a form feed starts a page; a long stretch is cut at a line break near the limit; the BOM goes', () => {
    const line = `${'x'.repeat(99)}\n`;
    const long = line.repeat(300); // 30,000 characters
    const pages = textPages(`\uFEFFfirst\f${long}`);
    expect(pages[0]).toBe('first');
    expect(pages.slice(1).join('')).toBe(long);
    expect(pages.slice(1).every((p) => p.length <= TEXT_PAGE_CHARS && p.endsWith('\n'))).toBe(true);
    expect(pages).toHaveLength(4);
  });
});
