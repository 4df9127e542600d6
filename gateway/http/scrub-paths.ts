/**
 * Error text that reaches a client never names a file path: an engine's "cannot open
 * /srv/models/x.gguf" or a library's ENOENT message would tell a caller how the appliance is laid
 * out. Paths become `[path]`; the rest of the message stays readable.
 */

// Absolute POSIX paths with at least two segments, ~/ ./ ../ relative paths, Windows drive and UNC
// paths, and file: URLs. API route paths ("/api/v1/…") are left alone: they are public anyway.
const PATH_RE =
  /(?:file:\/\/[^\s"'`]*|(?<![\w:/.])(?:~|\.{1,2})?\/(?!api\/v1\b)[\w@%+=,.-]+(?:\/[\w@%+=,.-]*)+|\b[A-Za-z]:\\[^\s"'`]*|\\\\[^\s"'`\\]+\\[^\s"'`]*)/g;

/** `text` with every file path replaced by `[path]`. */
export function scrubPaths(text: string): string {
  return text.replace(PATH_RE, '[path]');
}

/** A deep copy of error details with paths scrubbed from every string (bounded depth). */
export function scrubDetails(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubPaths(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDetails(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDetails(v, depth + 1)]));
}
