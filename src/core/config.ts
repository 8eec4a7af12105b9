import path from 'node:path';
import { z } from 'zod';
import type { StorageOptions } from './storage/index.js';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Fanfare <no-reply@localhost>'),
  SECRET: z.string().min(32, 'SECRET must be at least 32 characters').optional(),
  DEFAULT_LANGUAGE: z.enum(['en', 'fr']).default('en'),
  TRUST_PROXY: booleanFromEnv.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  MAGIC_LINK_TTL_MINUTES: z.coerce.number().int().positive().max(24 * 60).default(20),
  SESSION_TTL_DAYS: z.coerce.number().int().positive().max(365).default(30),
  MAX_UPLOAD_MB: z.coerce.number().int().positive().default(20 * 1024),
  UPLOAD_ALLOWED_TYPES: z.string().min(1).default('video/*,audio/*'),
  SITE_TIMEZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'SITE_TIMEZONE must be an IANA time zone such as Europe/Paris')
    .optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(16).default(1),
  // Creators keep at least 90 %: the platform fee is capped at 10 % (1000 basis points), 0 by default.
  PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(1000, 'PLATFORM_FEE_BPS is capped at 1000 (10 %)').default(0),
  S3_BUCKET: z.string().min(3).optional(),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFromEnv.optional(),
  MEDIA_PUBLIC_URL: z.url().optional(),
  TRANSCODE_PRESET: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).default('veryfast'),
});

/** Validated runtime configuration; every field has a safe default except the optional services. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  secret?: string;
  defaultLanguage: 'en' | 'fr';
  trustProxy: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Attempts allowed per client and per e-mail address in a 15-minute window on login/sign-up/magic-link. */
  loginRateLimit: number;
  magicLinkTtlMinutes: number;
  sessionTtlDays: number;
  maxUploadBytes: number;
  /** MIME patterns an upload may declare (`video/*`); the probe still decides. */
  uploadAllowedTypes: string[];
  /** Zone in which Studio date inputs (scheduled publishing) are read. */
  siteTimeZone: string;
  /** Background jobs run by each web process; 0 leaves them to `npm run worker` processes. */
  workerConcurrency: number;
  transcodePreset: string;
  /** Platform fee on each payment, in basis points (0–1000). */
  platformFeeBps: number;
  /** Where media files live: local disk under DATA_DIR/media, or an S3-compatible bucket. */
  storage: StorageOptions;
}

/** Thrown at start-up when the environment holds an invalid setting; the message names each bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads configuration from `env` (and `.env` when `loadDotEnv` is set), refusing invalid values with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { loadDotEnv?: boolean; fragments?: readonly ConfigFragment<unknown>[] } = {}): Config {
  if (options.loadDotEnv) {
    try {
      process.loadEnvFile('.env');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const emptyAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(emptyAsUnset);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.S3_BUCKET && (!e.S3_ACCESS_KEY_ID || !e.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('Invalid configuration: S3_BUCKET needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const storage: StorageOptions = e.S3_BUCKET
    ? {
        kind: 's3',
        bucket: e.S3_BUCKET,
        endpoint: e.S3_ENDPOINT,
        region: e.S3_REGION,
        accessKeyId: e.S3_ACCESS_KEY_ID!,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
        // Self-hosted S3 servers (MinIO, Garage) want path-style addressing; AWS itself does not.
        forcePathStyle: e.S3_FORCE_PATH_STYLE ?? Boolean(e.S3_ENDPOINT),
        publicBaseUrl: e.MEDIA_PUBLIC_URL,
      }
    : { kind: 'local', root: path.join(dataDir, 'media'), publicBaseUrl: e.MEDIA_PUBLIC_URL };
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    secret: e.SECRET,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    magicLinkTtlMinutes: e.MAGIC_LINK_TTL_MINUTES,
    sessionTtlDays: e.SESSION_TTL_DAYS,
    maxUploadBytes: e.MAX_UPLOAD_MB * 1024 * 1024,
    uploadAllowedTypes: e.UPLOAD_ALLOWED_TYPES.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
    siteTimeZone: e.SITE_TIMEZONE ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
    workerConcurrency: e.WORKER_CONCURRENCY,
    transcodePreset: e.TRANSCODE_PRESET,
    platformFeeBps: e.PLATFORM_FEE_BPS,
    storage,
  };
}

/** A capability's part of the configuration: environment variables → a typed value. */
export interface ConfigFragment<T> {
  readonly name: string;
  parse(env: Readonly<Record<string, string | undefined>>): T;
}
