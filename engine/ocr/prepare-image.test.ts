import { loadImage } from '@napi-rs/canvas';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { renderPrescriptionPng } from '../../test/render-prescription.js';
import { prepareImage, rotatedPng } from './prepare-image.js';

function range(canvas: Awaited<ReturnType<typeof prepareImage>>['canvas']): { lo: number; hi: number; gray: boolean } {
  const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let lo = 255;
  let hi = 0;
  let gray = true;
  for (let i = 0; i < px.length; i += 4) {
    lo = Math.min(lo, px[i]!);
    hi = Math.max(hi, px[i]!);
    if (px[i] !== px[i + 1] || px[i] !== px[i + 2]) gray = false;
  }
  return { lo, hi, gray };
}

describe('prepareImage', () => {
  it('stretches a low-contrast scan to the full range and makes it grayscale', async () => {
    const png = await renderPrescriptionPng(['Metformin 500 mg'], { ink: '#8080c0', paper: '#b0b0d0' });
    const img = await prepareImage(png, 'image/png');
    expect(img.stretched).toBe(true);
    const r = range(img.canvas);
    expect(r.gray).toBe(true);
    expect(r.lo).toBeLessThan(10);
    expect(r.hi).toBeGreaterThan(245);
  });

  it('leaves a normal-contrast image unstretched', async () => {
    const img = await prepareImage(await renderPrescriptionPng(['Metformin 500 mg']), 'image/png');
    expect(img.stretched).toBe(false);
  });

  it('upscales small images up to 3× and leaves large ones alone', async () => {
    const small = await prepareImage(await renderPrescriptionPng(['x'], { width: 300, fontSize: 12 }), 'image/png');
    expect(small.scale).toBe(3);
    expect(small.canvas.width).toBe(900);
    const large = await prepareImage(await renderPrescriptionPng(['x'], { width: 2000 }), 'image/png');
    expect(large.scale).toBe(1);
  });

  it('decodes TIFF and JPEG', async () => {
    const png = await renderPrescriptionPng(['Metformin'], { width: 1700 });
    const tiff = await sharp(png).tiff().toBuffer();
    const jpeg = await sharp(png).jpeg().toBuffer();
    expect((await prepareImage(tiff, 'image/tiff')).canvas.width).toBe(1700);
    expect((await prepareImage(jpeg, 'image/jpeg')).canvas.width).toBe(1700);
  });

  it('answers undecodable bytes with UNSUPPORTED_MEDIA_TYPE', async () => {
    const err = (await prepareImage(new Uint8Array([0, 1, 2]), 'image/tiff').catch((x: unknown) => x)) as WardClerkError;
    expect(err.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rotates by quarter turns, swapping width and height', async () => {
    const img = await prepareImage(await renderPrescriptionPng(['x'], { width: 1700 }), 'image/png');
    const r90 = await loadImage(await rotatedPng(img, 90));
    const r180 = await loadImage(await rotatedPng(img, 180));
    expect([r90.width, r90.height]).toEqual([img.canvas.height, img.canvas.width]);
    expect([r180.width, r180.height]).toEqual([img.canvas.width, img.canvas.height]);
  });
});
