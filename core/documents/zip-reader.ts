/**
 * A bounded ZIP reader for DOCX uploads: the central directory is read and checked before any
 * entry is inflated, and an entry is inflated with a hard output limit, so a ZIP bomb renamed to
 * .docx is refused (ARCHIVE_TOO_LARGE, 413) after at most that many bytes, whatever its headers
 * claim. Malformed archives are INVALID_DOCX (400). Stored and deflated entries only; ZIP64 and
 * encrypted entries are refused.
 */
import { inflateRawSync } from 'node:zlib';
import { WardClerkError } from '../errors.js';

/** Limits of one archive. */
export interface ZipLimits {
  /** Most entries in the central directory. */
  maxEntries: number;
  /** Most bytes all entries may declare uncompressed, together. */
  maxTotalBytes: number;
  /** Largest declared expansion of one entry (uncompressed / compressed) above 1 MiB. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 5000, maxTotalBytes: 256 * 1024 * 1024, maxRatio: 200 };

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;
const MiB = 1024 * 1024;

function invalid(reason: string): WardClerkError {
  return new WardClerkError('INVALID_DOCX', 'The DOCX file is not a readable archive', { details: { reason } });
}

function bomb(reason: string, details: Record<string, unknown> = {}): WardClerkError {
  return new WardClerkError('ARCHIVE_TOO_LARGE', 'The archive expands beyond what a document may hold', { details: { reason, ...details } });
}

/** True for bytes that start like a ZIP archive (a local file header). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The central directory's entries, checked against `limits` (declared sizes). */
export function readZipDirectory(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = view.length - 22; i >= Math.max(0, view.length - 22 - 0xffff); i--) {
    if (view.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw invalid('no_central_directory');
  const count = view.readUInt16LE(eocd + 10);
  const cdOffset = view.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw invalid('zip64');
  if (count > limits.maxEntries) throw bomb('entries', { entries: count, max_entries: limits.maxEntries });
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > view.length || view.readUInt32LE(p) !== CEN) throw invalid('bad_central_entry');
    const entry: ZipEntry = {
      flags: view.readUInt16LE(p + 8),
      method: view.readUInt16LE(p + 10),
      compressedSize: view.readUInt32LE(p + 20),
      size: view.readUInt32LE(p + 24),
      localOffset: view.readUInt32LE(p + 42),
      name: '',
    };
    const nameLen = view.readUInt16LE(p + 28);
    const extraLen = view.readUInt16LE(p + 30);
    const commentLen = view.readUInt16LE(p + 32);
    if (p + 46 + nameLen > view.length) throw invalid('bad_central_entry');
    entry.name = view.toString('utf8', p + 46, p + 46 + nameLen);
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff) throw invalid('zip64');
    total += entry.size;
    if (total > limits.maxTotalBytes) throw bomb('total_size', { max_bytes: limits.maxTotalBytes });
    if (entry.size > MiB && entry.size > limits.maxRatio * Math.max(1, entry.compressedSize)) throw bomb('ratio', { max_ratio: limits.maxRatio });
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * The uncompressed bytes of `entry`, never more than `maxBytes` (ARCHIVE_TOO_LARGE past it, even
 * when the headers understate the size).
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Buffer {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = entry.localOffset;
  if (p + 30 > view.length || view.readUInt32LE(p) !== LOC) throw invalid('bad_local_header');
  if (entry.flags & 0x1) throw invalid('encrypted_entry');
  const start = p + 30 + view.readUInt16LE(p + 26) + view.readUInt16LE(p + 28);
  const end = start + entry.compressedSize;
  if (end > view.length) throw invalid('truncated');
  const data = view.subarray(start, end);
  if (entry.method === 0) {
    if (data.length > maxBytes) throw bomb('entry_size', { max_bytes: maxBytes });
    return data;
  }
  if (entry.method !== 8) throw invalid('unsupported_compression');
  try {
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw bomb('entry_size', { max_bytes: maxBytes });
    throw invalid('bad_deflate');
  }
}
