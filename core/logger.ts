/**
 * pino JSON logger. Log lines carry ids and codes only, never PHI: the redact list below is a
 * safety net for fields that must never be logged even by mistake (note text, names, extracted
 * values, secrets, tokens), not a licence to pass them in.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'text', '*.text', 'note', '*.note', 'body', '*.body', 'password', '*.password', 'secret', '*.secret',
  'client_secret', '*.client_secret', 'token', '*.token', 'access_token', '*.access_token',
  'authorization', '*.authorization', 'req.headers.authorization', 'headers.authorization',
  'patient_ref', '*.patient_ref', 'doctor', '*.doctor', 'name', '*.name', 'email', '*.email',
  'medications', '*.medications', 'diseases', '*.diseases', 'extraction', '*.extraction',
];

export interface LoggerOptions {
  level: string;
  role: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read lines back. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { role: options.role, pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination(1),
  );
}
