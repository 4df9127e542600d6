/**
 * Tier 1 on real files: each bad upload the issue names is a coded error (so the route answers
 * 4xx and stores nothing), and good ones come back with their sniffed format and page count.
 */
import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { buildDocx, buildZip, buildZipBomb, corruptPdf, encryptedPdf, pdfOfPages, pngHeaderOnly } from '../../test/document-fixtures.js';
import { renderPrescriptionPng, renderTextPdf } from '../../test/render-prescription.js';
import { inspectUpload } from './inspect-upload.js';

async function codeOf(bytes: Uint8Array): Promise<{ code: string; status: number }> {
  try {
    await inspectUpload(bytes);
  } catch (e) {
    if (e instanceof WardClerkError) return { code: e.code, status: e.status };
    throw e;
  }
  throw new Error('accepted');
}

describe('tier 1 refuses', () => {
  it('an empty file (400 EMPTY_FILE) and a blank text (400 EMPTY_TEXT)', async () => {
    expect(await codeOf(new Uint8Array(0))).toEqual({ code: 'EMPTY_FILE', status: 400 });
    expect(await codeOf(Buffer.from('  \n\t \n'))).toEqual({ code: 'EMPTY_TEXT', status: 400 });
  });

  it('a PDF that needs a password (400 ENCRYPTED_PDF) or is corrupt (400 INVALID_PDF)', async () => {
    expect(await codeOf(encryptedPdf())).toEqual({ code: 'ENCRYPTED_PDF', status: 400 });
    expect(await codeOf(corruptPdf())).toEqual({ code: 'INVALID_PDF', status: 400 });
  });

  it('a 301-page PDF (413 TOO_MANY_PAGES), while 300 pages pass', async () => {
    expect(await codeOf(pdfOfPages(301))).toEqual({ code: 'TOO_MANY_PAGES', status: 413 });
    expect((await inspectUpload(pdfOfPages(300))).pageCount).toBe(300);
  }, 30_000);

  it('a DOCX that is a ZIP bomb, whether its headers tell (413 ARCHIVE_TOO_LARGE) or lie', async () => {
    expect(await codeOf(buildZipBomb(100, true))).toEqual({ code: 'ARCHIVE_TOO_LARGE', status: 413 });
    expect(await codeOf(buildZipBomb(100, false))).toEqual({ code: 'ARCHIVE_TOO_LARGE', status: 413 });
  });

  it('a ZIP that is no Word document (400 INVALID_DOCX) and a truncated one', async () => {
    expect(await codeOf(buildZip([{ name: 'notes.txt', data: Buffer.from('hello') }]))).toEqual({ code: 'INVALID_DOCX', status: 400 });
    expect(await codeOf(buildDocx(['Hello']).subarray(0, 60))).toEqual({ code: 'INVALID_DOCX', status: 400 });
  });

  it('an image of 20,000×20,000 pixels, from its header alone (413 IMAGE_TOO_LARGE)', async () => {
    expect(await codeOf(pngHeaderOnly(20_000, 20_000))).toEqual({ code: 'IMAGE_TOO_LARGE', status: 413 });
  });

  it('binary that is none of the formats (415), whatever it claims to be', async () => {
    expect(await codeOf(Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10, 0x80]))).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
    expect(await codeOf(Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000'))).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
  });
});

describe('tier 1 accepts', () => {
  it('sniffs PDF, DOCX, PNG and text by their bytes and counts pages', async () => {
    expect(await inspectUpload(renderTextPdf(['Metformin 500 mg twice daily']))).toMatchObject({ format: 'pdf', pageCount: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await inspectUpload(buildDocx(['Discharge summary', null, 'Page two']))).toMatchObject({ format: 'docx', pageCount: 2 });
    expect(await inspectUpload(await renderPrescriptionPng(['Amoxicillin 500 mg']))).toMatchObject({ format: 'png', pageCount: 1 });
    expect(await inspectUpload(Buffer.from('HbA1c 7.2 %\fPage two'))).toMatchObject({ format: 'text', pageCount: 2 });
  });
});
