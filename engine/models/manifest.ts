/**
 * `models/models.json`: the admin-maintained list of models in the models folder — id, file (or
 * folder) relative to the folder, kind, roles, sha256 and load options. A missing manifest means
 * "no configured models" (the engine runs `rules`); a malformed one is a CONFIG_INVALID error
 * naming the file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';

export const MODEL_KINDS = ['gguf', 'onnx', 'tessdata'] as const;
export const MODEL_ROLES = ['extract', 'chat', 'embed', 'ocr'] as const;

export const ModelEntrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore'),
  /** Relative to the models folder; must stay inside it. */
  file: z.string().min(1).refine((f) => !f.startsWith('/') && !f.split(/[\\/]/).includes('..'), 'a path inside the models folder'),
  kind: z.enum(MODEL_KINDS),
  roles: z.array(z.enum(MODEL_ROLES)).min(1),
  /** Hex sha256 of the file; required for gguf (single-file) models, optional for folders. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional(),
  options: z
    .object({
      contextSize: z.number().int().positive().optional(),
      gpuLayers: z.union([z.number().int().nonnegative(), z.literal('auto'), z.literal('max')]).optional(),
      threads: z.number().int().positive().optional(),
    })
    .default({}),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

export const ManifestSchema = z.object({ models: z.array(ModelEntrySchema) }).superRefine((m, ctx) => {
  const seen = new Set<string>();
  for (const [i, e] of m.models.entries()) {
    if (seen.has(e.id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${e.id}`, path: ['models', i, 'id'] });
    seen.add(e.id);
    if (e.kind === 'gguf' && !e.sha256) ctx.addIssue({ code: 'custom', message: 'gguf models need a sha256', path: ['models', i, 'sha256'] });
  }
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const MANIFEST_FILE = 'models.json';

/** Reads and validates `<modelsDir>/models.json`; absent → `{models: []}`. */
export async function readManifest(modelsDir: string): Promise<Manifest> {
  const path = join(modelsDir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { models: [] };
    throw new WardClerkError('CONFIG_INVALID', `Cannot read the model manifest ${path}`, { details: { path }, cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (cause) {
    throw new WardClerkError('CONFIG_INVALID', `The model manifest ${path} is not valid JSON`, { details: { path }, cause });
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new WardClerkError('CONFIG_INVALID', `The model manifest ${path} is invalid`, {
      details: { path, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  return parsed.data;
}
