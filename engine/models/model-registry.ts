/**
 * The on-disk model registry: the manifest's entries resolved against the models folder, with the
 * sha256 verified (streamed) before anything is loaded. Never downloads: a missing file is
 * `MODEL_NOT_FOUND` naming the path; a checksum mismatch is `MODEL_CHECKSUM_MISMATCH` naming the
 * path (for the engine's log) and the manifest's `file`, relative to the models folder (what an API
 * client sees: the gateway scrubs absolute paths from errors). Files in the folder that the manifest does not name are listed as `available` (an admin
 * can add them to the manifest) but are never loaded.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { WardClerkError } from '../../core/errors.js';
import { fileSha256 } from './file-sha256.js';
import { MANIFEST_FILE, readManifest, type Manifest, type ModelEntry } from './manifest.js';

export type ModelStatus = 'configured' | 'missing' | 'available';

export interface ModelListing {
  /** Manifest id; null for files the manifest does not name. */
  id: string | null;
  file: string;
  kind: ModelEntry['kind'] | 'unknown';
  roles: ModelEntry['roles'];
  status: ModelStatus;
  bytes: number | null;
}

export interface ResolvedModel {
  entry: ModelEntry;
  /** Absolute path of the verified file or folder. */
  path: string;
}

export interface ModelRegistry {
  readonly modelsDir: string;
  readonly manifest: Manifest;
  /** Manifest entries (configured or missing) then unknown files (available). */
  list(): Promise<ModelListing[]>;
  /** The manifest entry; an unknown id → `MODEL_NOT_FOUND` listing the known ids. */
  get(id: string): ModelEntry;
  /** Checks the file exists and its sha256 matches, then returns its path. Verified files are remembered by size and mtime. */
  resolve(id: string, signal?: AbortSignal): Promise<ResolvedModel>;
}

function guessKind(name: string, isDir: boolean): ModelListing['kind'] {
  if (name.endsWith('.gguf')) return 'gguf';
  if (name.endsWith('.traineddata') || name.endsWith('.traineddata.gz')) return 'tessdata';
  if (isDir || name.endsWith('.onnx')) return 'onnx';
  return 'unknown';
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw cause;
  }
}

/** Reads `<modelsDir>/models.json` (absent = no models) and returns the registry over it. */
export async function openModelRegistry(options: { modelsDir: string }): Promise<ModelRegistry> {
  const modelsDir = resolve(options.modelsDir);
  const manifest = await readManifest(modelsDir);
  const verified = new Map<string, string>();

  const get = (id: string): ModelEntry => {
    const entry = manifest.models.find((m) => m.id === id);
    if (!entry) {
      throw new WardClerkError('MODEL_NOT_FOUND', `No model with id ${id} in ${join(modelsDir, MANIFEST_FILE)}`, {
        details: { id, known: manifest.models.map((m) => m.id) },
      });
    }
    return entry;
  };

  return {
    modelsDir,
    manifest,
    get,
    async list() {
      const listed: ModelListing[] = [];
      for (const entry of manifest.models) {
        const info = await statOrNull(join(modelsDir, entry.file));
        listed.push({ id: entry.id, file: entry.file, kind: entry.kind, roles: entry.roles, status: info ? 'configured' : 'missing', bytes: info?.isFile() ? info.size : null });
      }
      const named = new Set(manifest.models.map((m) => m.file.split(/[\\/]/)[0]));
      const dirents = (await statOrNull(modelsDir)) ? await readdir(modelsDir, { withFileTypes: true }) : [];
      for (const d of [...dirents].sort((a, b) => a.name.localeCompare(b.name))) {
        if (d.name === MANIFEST_FILE || d.name.startsWith('.') || named.has(d.name)) continue;
        const info = await stat(join(modelsDir, d.name));
        listed.push({ id: null, file: d.name, kind: guessKind(d.name, d.isDirectory()), roles: [], status: 'available', bytes: d.isFile() ? info.size : null });
      }
      return listed;
    },
    async resolve(id, signal) {
      const entry = get(id);
      const path = join(modelsDir, entry.file);
      const info = await statOrNull(path);
      if (!info) throw new WardClerkError('MODEL_NOT_FOUND', `Model file not found: ${path}`, { details: { id, file: entry.file, path } });
      if (!entry.sha256) return { entry, path };
      if (!info.isFile()) {
        throw new WardClerkError('CONFIG_INVALID', `Model ${id} has a sha256 but ${path} is not a file`, { details: { id, file: entry.file, path } });
      }
      const stamp = `${info.size}:${info.mtimeMs}`;
      if (verified.get(path) === stamp) return { entry, path };
      const actual = await fileSha256(path, signal);
      if (actual !== entry.sha256.toLowerCase()) {
        throw new WardClerkError('MODEL_CHECKSUM_MISMATCH', `Checksum mismatch for model file ${path}; refusing to load it`, {
          details: { id, file: entry.file, path, expected: entry.sha256.toLowerCase(), actual },
        });
      }
      verified.set(path, stamp);
      return { entry, path };
    },
  };
}
