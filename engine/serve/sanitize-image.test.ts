import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { sanitizeImage } from './sanitize-image.js';

async function sample(kind: 'png' | 'jpeg'): Promise<Uint8Array> {
  const c = createCanvas(120, 40);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 120, 40);
  ctx.fillStyle = '#000';
  ctx.fillText('Rx 500 mg', 5, 20);
  return new Uint8Array(kind === 'png' ? await c.encode('png') : await c.encode('jpeg'));
}

describe('sanitizeImage', () => {
  it('re-encodes PNG and JPEG as a PNG of the same size', async () => {
    for (const [kind, mime] of [['png', 'image/png'], ['jpeg', 'image/jpeg']] as const) {
      const out = await sanitizeImage(await sample(kind), mime);
      expect([...out.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      const img = await loadImage(Buffer.from(out));
      expect([img.width, img.height]).toEqual([120, 40]);
    }
  });

  // These byte strings crash Skia's decoder (SIGSEGV); they must be refused before reaching it.
  it('refuses truncated and corrupt bytes with a coded 400', async () => {
    const png = await sample('png');
    const jpeg = await sample('jpeg');
    const bad: Array<[Uint8Array, 'image/png' | 'image/jpeg' | 'image/tiff']> = [
      [png.subarray(0, 8), 'image/png'],
      [png.subarray(0, 57), 'image/png'],
      [png.subarray(0, Math.floor(png.length / 2)), 'image/png'],
      [jpeg.subarray(0, 100), 'image/jpeg'],
      [new TextEncoder().encode('not an image'), 'image/tiff'],
    ];
    for (const [bytes, mime] of bad) {
      await expect(sanitizeImage(bytes, mime)).rejects.toMatchObject({ code: 'INVALID_IMAGE', status: 400, details: { reason: 'invalid_image', mime } });
    }
  });
});
