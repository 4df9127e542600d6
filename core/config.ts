/**
 * The one typed configuration object. Only this file reads `process.env`; everything else receives
 * a `Config` (or the slice it needs) as a parameter. An invalid value fails at start with the
 * variable's name and how to set it.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { WardClerkError } from './errors.js';
import { allowEntryProblem } from './net/target-policy.js';

/** Most attempts per batch item or note (each attempt's redelivery delay is one JetStream back-off entry). */
export const ITEM_MAX_DELIVER_MAX = 100;
/** Longest ack wait of a batch item or note: one hour. */
export const ITEM_ACK_WAIT_MS_MAX = 3_600_000;

const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Each entry: env variable → schema, with the help text shown when it is wrong. */
const ENV = {
  WARDCLERK_DATA_DIR: { schema: z.string().min(1).default('./data'), help: 'a writable directory path' },
  WARDCLERK_PORT: { schema: port.default(8080), help: 'a TCP port, e.g. 8080' },
  WARDCLERK_HOST: { schema: z.string().min(1).default('0.0.0.0'), help: 'an address to listen on, e.g. 127.0.0.1' },
  WARDCLERK_HTTP_HEADERS_TIMEOUT_MS: { schema: z.coerce.number().int().min(100).max(120000).default(10000), help: 'milliseconds a client may take to send request headers (slow-loris guard), 100–120000' },
  WARDCLERK_PUBLIC_URL: { schema: z.string().url().optional(), help: 'the URL clients use, e.g. https://wardclerk.hospital.local' },
  NATS_URL: { schema: z.string().min(1).optional(), help: 'a NATS server URL, e.g. nats://127.0.0.1:4222' },
  WARDCLERK_NATS_CREDENTIALS: {
    schema: z.string().min(1).optional(),
    help: "path to this role's NATS credentials file (mode 0600), e.g. /etc/wardclerk/engine.json; default <data>/nats-credentials/<role>.json when present",
  },
  WARDCLERK_LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    help: 'one of fatal, error, warn, info, debug, trace, silent',
  },
  WARDCLERK_ADMIN_PASSWORD: { schema: z.string().min(12).optional(), help: 'at least 12 characters' },
  WARDCLERK_MASTER_KEY_FILE: { schema: z.string().min(1).optional(), help: 'path to the 32-byte master key file' },
  WARDCLERK_MODELS_DIR: { schema: z.string().min(1).default('./models'), help: 'a directory path' },
  WARDCLERK_TOKEN_TTL_SECONDS: { schema: z.coerce.number().int().min(60).max(86400).default(3600), help: '60–86400' },
  WARDCLERK_USER_TOKEN_TTL_SECONDS: { schema: z.coerce.number().int().min(60).max(86400).default(900), help: "seconds a person's access token lives, 60–86400 (default 900)" },
  WARDCLERK_REFRESH_TTL_SECONDS: { schema: z.coerce.number().int().min(300).max(31_536_000).default(2_592_000), help: 'seconds a sign-in session (refresh-token family) lasts, 300–31536000 (default 30 days)' },
  WARDCLERK_INVITATION_TTL_SECONDS: { schema: z.coerce.number().int().min(300).max(31_536_000).default(604_800), help: 'seconds an invitation code stays valid, 300–31536000 (default 7 days)' },
  WARDCLERK_JWT_ISSUER: { schema: z.string().min(1).default('wardclerk'), help: 'a string' },
  WARDCLERK_JWT_AUDIENCE: { schema: z.string().min(1).default('wardclerk-api'), help: 'a string' },
  WARDCLERK_ENGINE_TIMEOUT_MS: { schema: z.coerce.number().int().min(100).default(30000), help: 'milliseconds' },
  WARDCLERK_WEBHOOK_BACKOFF_MS: {
    schema: z
      .string()
      .regex(/^\d+(,\d+)*$/)
      .default('10000,30000,60000,120000,300000,600000')
      .transform((s) => s.split(',').map(Number)),
    help: 'comma-separated retry delays in ms, e.g. 10000,30000,60000',
  },
  WARDCLERK_WEBHOOK_TIMEOUT_MS: { schema: z.coerce.number().int().min(100).default(10000), help: 'milliseconds' },
  WARDCLERK_WEBHOOK_ALLOW: {
    schema: z
      .string()
      .default('')
      .transform((s) => s.split(',').map((e) => e.trim()).filter((e) => e !== ''))
      .refine((entries) => entries.every((e) => allowEntryProblem(e) === null)),
    help: 'comma-separated CIDRs, IPs or host names (*.suffix allowed) webhooks may reach although private or loopback, e.g. 10.20.0.0/16,hooks.hospital.local',
  },
  WARDCLERK_WEBHOOK_MAX_PER_TENANT: { schema: z.coerce.number().int().min(1).max(10000).default(25), help: 'webhook subscriptions a tenant may have, 1–10000' },
  WARDCLERK_WEBHOOK_MAX_PENDING: { schema: z.coerce.number().int().min(1).max(100000).default(500), help: 'deliveries one subscription may have queued or retrying before new events for it are skipped' },
  WARDCLERK_WEBHOOK_DISABLE_AFTER_FAILURES: { schema: z.coerce.number().int().min(1).default(20), help: 'consecutive failed attempts after which a subscription is disabled' },
  WARDCLERK_WEBHOOK_DISABLE_AFTER_MS: { schema: z.coerce.number().int().min(0).default(3_600_000), help: 'milliseconds the failures must span before a subscription is disabled' },
  WARDCLERK_ITEM_MAX_DELIVER: {
    schema: z.coerce.number().int().min(1).max(ITEM_MAX_DELIVER_MAX).default(5),
    help: `attempts per batch item or note, an integer 1–${ITEM_MAX_DELIVER_MAX}`,
  },
  WARDCLERK_ITEM_ACK_WAIT_MS: {
    schema: z.coerce.number().int().min(500).max(ITEM_ACK_WAIT_MS_MAX).default(30000),
    help: `milliseconds before an unacknowledged batch item or note is redelivered, 500–${ITEM_ACK_WAIT_MS_MAX}`,
  },
  WARDCLERK_WORKER_CONCURRENCY: { schema: z.coerce.number().int().min(1).max(256).default(8), help: '1–256' },
  WARDCLERK_ENGINE_THREADS: { schema: z.coerce.number().int().min(0).default(0), help: 'threads for local models; 0 = physical cores' },
  WARDCLERK_AWS_REGION: { schema: z.string().min(1).optional(), help: 'an AWS region for Bedrock/Textract, e.g. us-east-1 (only when a cloud provider is enabled)' },
  WARDCLERK_EXTRACTOR: { schema: z.string().min(1).default('rules'), help: 'an extractor id, e.g. rules' },
  WARDCLERK_OCR: { schema: z.string().min(1).default('tesseract'), help: 'an OCR provider id (tesseract, textract) or none' },
  WARDCLERK_ENGINE_GPU: { schema: z.enum(['auto', 'off']).default('auto'), help: 'auto (CUDA, Vulkan or CPU) or off (CPU only)' },
  WARDCLERK_MODEL_CONCURRENCY: { schema: z.coerce.number().int().min(1).max(64).default(1), help: 'requests one loaded model (or the OCR pool) runs at once, 1–64' },
  WARDCLERK_MODEL_QUEUE: { schema: z.coerce.number().int().min(0).max(10000).default(8), help: 'requests that may wait per loaded model before 503 OVERLOADED, 0–10000' },
  WARDCLERK_BODY_BYTES_IN_FLIGHT: { schema: z.coerce.number().int().min(1024 * 1024).default(128 * 1024 * 1024), help: 'request-body bytes all requests together may hold before 503 OVERLOADED, at least 1048576 (default 134217728)' },
  WARDCLERK_INDEX_BUDGET_MB: { schema: z.coerce.number().int().min(16).max(1_048_576).default(512), help: "MiB of memory the gateway's loaded per-patient search indexes may hold together (least recently used go first), 16–1048576 (default 512)" },
  WARDCLERK_METRICS_TOKEN: { schema: z.string().min(16).optional(), help: 'a scrape token of at least 16 characters; /metrics then needs Authorization: Bearer <token> (unset: loopback clients only)' },
} as const;

type EnvKey = keyof typeof ENV;

export interface Config {
  dataDir: string;
  port: number;
  host: string;
  publicUrl: string | undefined;
  /** Longest wait for a request's headers (including WebSocket upgrades) before the socket is dropped. */
  httpHeadersTimeoutMs: number;
  natsUrl: string | undefined;
  /** This role's NATS credentials file (core/nats-credentials.ts); undefined = the data dir's default. */
  natsCredentialsFile: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  adminPassword: string | undefined;
  masterKeyFile: string;
  modelsDir: string;
  tokenTtlSeconds: number;
  /** Lifetime of a person's access token (short: revocation takes effect at the next refresh). */
  userTokenTtlSeconds: number;
  /** Absolute lifetime of a sign-in session; refreshing does not extend it. */
  refreshTtlSeconds: number;
  invitationTtlSeconds: number;
  jwtIssuer: string;
  jwtAudience: string;
  engineTimeoutMs: number;
  webhookBackoffMs: number[];
  webhookTimeoutMs: number;
  /** Operator allow-list of private/loopback webhook targets (core/net/target-policy.ts). */
  webhookAllow: string[];
  webhookMaxPerTenant: number;
  webhookMaxPending: number;
  webhookDisableAfterFailures: number;
  webhookDisableAfterMs: number;
  itemMaxDeliver: number;
  itemAckWaitMs: number;
  workerConcurrency: number;
  engineThreads: number;
  extractor: string;
  awsRegion: string | undefined;
  /** OCR provider id, or 'none'. */
  ocr: string;
  engineGpu: 'auto' | 'off';
  modelConcurrency: number;
  modelQueue: number;
  /** Request-body bytes held by all requests in flight together (gateway/http/body-limit.ts). */
  bodyBytesInFlight: number;
  /** Memory budget of the loaded per-patient search indexes (gateway/search), bytes. */
  indexBudgetBytes: number;
  /** Bearer token a Prometheus scraper must send to /metrics; undefined = loopback clients only. */
  metricsToken: string | undefined;
}

function read<K extends EnvKey>(env: NodeJS.ProcessEnv, key: K): z.output<(typeof ENV)[K]['schema']> {
  const raw = env[key];
  const entry = ENV[key];
  const parsed = entry.schema.safeParse(raw === '' ? undefined : raw);
  if (!parsed.success) {
    throw new WardClerkError('CONFIG_INVALID', `${key} is invalid: expected ${entry.help}. Set it in the environment, e.g. ${key}=…`, {
      details: { variable: key },
    });
  }
  return parsed.data as z.output<(typeof ENV)[K]['schema']>;
}

/** Reads and validates the environment once. Pass `env` in tests instead of touching process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(read(env, 'WARDCLERK_DATA_DIR'));
  return {
    dataDir,
    port: read(env, 'WARDCLERK_PORT'),
    host: read(env, 'WARDCLERK_HOST'),
    publicUrl: read(env, 'WARDCLERK_PUBLIC_URL'),
    httpHeadersTimeoutMs: read(env, 'WARDCLERK_HTTP_HEADERS_TIMEOUT_MS'),
    natsUrl: read(env, 'NATS_URL'),
    natsCredentialsFile: ((f) => (f === undefined ? undefined : resolve(f)))(read(env, 'WARDCLERK_NATS_CREDENTIALS')),
    logLevel: read(env, 'WARDCLERK_LOG_LEVEL'),
    adminPassword: read(env, 'WARDCLERK_ADMIN_PASSWORD'),
    masterKeyFile: resolve(read(env, 'WARDCLERK_MASTER_KEY_FILE') ?? resolve(dataDir, 'master.key')),
    modelsDir: resolve(read(env, 'WARDCLERK_MODELS_DIR')),
    tokenTtlSeconds: read(env, 'WARDCLERK_TOKEN_TTL_SECONDS'),
    userTokenTtlSeconds: read(env, 'WARDCLERK_USER_TOKEN_TTL_SECONDS'),
    refreshTtlSeconds: read(env, 'WARDCLERK_REFRESH_TTL_SECONDS'),
    invitationTtlSeconds: read(env, 'WARDCLERK_INVITATION_TTL_SECONDS'),
    jwtIssuer: read(env, 'WARDCLERK_JWT_ISSUER'),
    jwtAudience: read(env, 'WARDCLERK_JWT_AUDIENCE'),
    engineTimeoutMs: read(env, 'WARDCLERK_ENGINE_TIMEOUT_MS'),
    webhookBackoffMs: read(env, 'WARDCLERK_WEBHOOK_BACKOFF_MS'),
    webhookTimeoutMs: read(env, 'WARDCLERK_WEBHOOK_TIMEOUT_MS'),
    webhookAllow: read(env, 'WARDCLERK_WEBHOOK_ALLOW'),
    webhookMaxPerTenant: read(env, 'WARDCLERK_WEBHOOK_MAX_PER_TENANT'),
    webhookMaxPending: read(env, 'WARDCLERK_WEBHOOK_MAX_PENDING'),
    webhookDisableAfterFailures: read(env, 'WARDCLERK_WEBHOOK_DISABLE_AFTER_FAILURES'),
    webhookDisableAfterMs: read(env, 'WARDCLERK_WEBHOOK_DISABLE_AFTER_MS'),
    itemMaxDeliver: read(env, 'WARDCLERK_ITEM_MAX_DELIVER'),
    itemAckWaitMs: read(env, 'WARDCLERK_ITEM_ACK_WAIT_MS'),
    workerConcurrency: read(env, 'WARDCLERK_WORKER_CONCURRENCY'),
    engineThreads: read(env, 'WARDCLERK_ENGINE_THREADS'),
    extractor: read(env, 'WARDCLERK_EXTRACTOR'),
    awsRegion: read(env, 'WARDCLERK_AWS_REGION'),
    ocr: read(env, 'WARDCLERK_OCR'),
    engineGpu: read(env, 'WARDCLERK_ENGINE_GPU'),
    modelConcurrency: read(env, 'WARDCLERK_MODEL_CONCURRENCY'),
    modelQueue: read(env, 'WARDCLERK_MODEL_QUEUE'),
    bodyBytesInFlight: read(env, 'WARDCLERK_BODY_BYTES_IN_FLIGHT'),
    indexBudgetBytes: read(env, 'WARDCLERK_INDEX_BUDGET_MB') * 1024 * 1024,
    metricsToken: read(env, 'WARDCLERK_METRICS_TOKEN'),
  };
}

/** The configuration table for the README: variable, default and what it takes. */
export function configTable(): Array<{ variable: string; help: string }> {
  return Object.entries(ENV).map(([variable, e]) => ({ variable, help: e.help }));
}
