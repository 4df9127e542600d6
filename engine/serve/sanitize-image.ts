/**
 * Re-encodes an uploaded image as PNG with sharp (libvips) before any OCR backend sees it.
 * Why: @napi-rs/canvas `loadImage` (Skia), which the tesseract preprocessing uses, crashes the
 * whole process with SIGSEGV on truncated or corrupt PNG/JPEG bytes (even the 8-byte PNG
 * signature alone), so one bad upload could take the engine down. libvips rejects such bytes with
 * an ordinary error, which becomes a coded 400 (`details.reason = 'invalid_image'`).
 */
import { WardClerkError } from '../../core/errors.js';

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/tiff';

/** Largest decoded image accepted (pixels); a decompression bomb is refused instead of decoded. */
export const MAX_IMAGE_PIXELS = 80_000_000;

/** Valid PNG bytes of the (first page of the) image, or INVALID_IMAGE when it does not decode. */
export async function sanitizeImage(bytes: Uint8Array, mime: ImageMime): Promise<Uint8Array> {
  const sharp = (await import('sharp')).default;
  try {
    const out = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS, page: 0 }).png({ compressionLevel: 1 }).toBuffer();
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (cause) {
    throw new WardClerkError('INVALID_IMAGE', 'The image could not be decoded', { details: { reason: 'invalid_image', mime }, cause });
  }
}
