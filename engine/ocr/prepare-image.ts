/**
 * Image preprocessing before OCR: decode (PNG/JPEG via @napi-rs/canvas, TIFF via sharp), convert to
 * grayscale, upscale small images (tesseract reads text with ~20–30 px x-height best) and stretch
 * the contrast of low-contrast scans (faded thermal printouts, pencil). Rotation by quarter turns
 * is applied on demand, because the orientation is only known after trying.
 */
import { createCanvas, loadImage, type Canvas } from '@napi-rs/canvas';
import { WardClerkError } from '../../core/errors.js';
import type { OcrMime } from '../providers/ocr-model.js';

export interface PreparedImage {
  /** Grayscale, contrast-stretched, scaled image. */
  canvas: Canvas;
  /** Factor applied to the original image (1 = unscaled). */
  scale: number;
  /** True when the contrast stretch changed the image. */
  stretched: boolean;
}

export interface PrepareOptions {
  /** Upscale when the longest side is below this many pixels; default 1600. */
  minSide?: number;
  /** Never upscale by more than this; default 3. */
  maxUpscale?: number;
}

async function decode(bytes: Uint8Array, mime: OcrMime): Promise<Awaited<ReturnType<typeof loadImage>>> {
  let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (mime === 'image/tiff') {
      // Skia (inside @napi-rs/canvas) has no TIFF decoder; sharp (libvips) does. Loaded lazily so
      // PNG/JPEG-only deployments never touch it.
      const sharp = (await import('sharp')).default;
      data = await sharp(data, { page: 0 }).png().toBuffer();
    }
    return await loadImage(data);
  } catch (e) {
    throw new WardClerkError('UNSUPPORTED_MEDIA_TYPE', 'the image could not be decoded', { details: { mime }, cause: e });
  }
}

/** Grayscale in place; returns the 0.1th and 99.9th percentile of luminance (text is sparse: a wider cut would land in the anti-aliased glyph edges). */
function grayscale(px: Uint8ClampedArray): { lo: number; hi: number } {
  const hist = new Uint32Array(256);
  for (let i = 0; i < px.length; i += 4) {
    // Composite onto white first: transparent PNG regions must read as paper, not ink.
    const a = px[i + 3]! / 255;
    const y = Math.round((0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!) * a + 255 * (1 - a));
    px[i] = px[i + 1] = px[i + 2] = y;
    px[i + 3] = 255;
    hist[y]!++;
  }
  const n = px.length / 4;
  let lo = 0;
  let hi = 255;
  for (let acc = 0, v = 0; v < 256; v++) if ((acc += hist[v]!) > n * 0.001) { lo = v; break; }
  for (let acc = 0, v = 255; v >= 0; v--) if ((acc += hist[v]!) > n * 0.001) { hi = v; break; }
  return { lo, hi };
}

/** Decodes and preprocesses an image. Undecodable bytes → `UNSUPPORTED_MEDIA_TYPE`. */
export async function prepareImage(bytes: Uint8Array, mime: OcrMime, options: PrepareOptions = {}): Promise<PreparedImage> {
  const img = await decode(bytes, mime);
  const longest = Math.max(img.width, img.height);
  const minSide = options.minSide ?? 1600;
  const scale = longest < minSide ? Math.min(options.maxUpscale ?? 3, minSide / longest) : 1;
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(img, 0, 0, w, h);
  const data = ctx.getImageData(0, 0, w, h);
  const { lo, hi } = grayscale(data.data);
  // Only stretch a narrow range: a normal scan already spans most of 0–255 and stretching it would
  // amplify JPEG noise around the glyphs.
  const stretched = hi - lo < 160 && hi > lo;
  if (stretched) {
    const k = 255 / (hi - lo);
    const px = data.data;
    for (let i = 0; i < px.length; i += 4) {
      const v = (px[i]! - lo) * k;
      px[i] = px[i + 1] = px[i + 2] = v;
    }
  }
  ctx.putImageData(data, 0, 0);
  return { canvas, scale, stretched };
}

/** PNG bytes of the prepared image turned clockwise by `degrees` (a quarter-turn multiple). */
export async function rotatedPng(image: PreparedImage, degrees: 0 | 90 | 180 | 270): Promise<Buffer> {
  if (degrees === 0) return image.canvas.encode('png');
  const { width: w, height: h } = image.canvas;
  const swap = degrees !== 180;
  const out = createCanvas(swap ? h : w, swap ? w : h);
  const ctx = out.getContext('2d');
  ctx.translate(out.width / 2, out.height / 2);
  ctx.rotate((degrees * Math.PI) / 180);
  ctx.drawImage(image.canvas, -w / 2, -h / 2);
  return out.encode('png');
}
