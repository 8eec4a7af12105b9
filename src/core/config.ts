import path from 'node:path';
import { z } from 'zod';
import type { StorageOptions } from './storage/index.js';

/** The environment as configuration reads it: variable name → value (empty strings count as unset). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A capability's part of the configuration: env variables → a typed value. */
export interface ConfigFragment<T> {
  readonly name: string;
  /** Validates `env`; throws a ConfigError naming every bad variable. */
  parse(env: Env): T;
}

/** Thrown at start-up when the environment holds an invalid setting; the message names each bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** One entry per problem, each starting with the variable's name (`PORT: …`). */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = [message]) {
    super(message);
    this.problems = problems;
  }
}

const BOOLEAN_WORDS = /^(true|false|1|0|yes|no)$/;

/**
 * The one boolean parser of the configuration: `true/false`, `1/0`, `yes/no` (any case, spaces
 * trimmed); anything else is an error. Chain `.default(…)` or `.optional()` for an unset variable.
 */
export function envBoolean() {
  return z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => BOOLEAN_WORDS.test(v), 'expected true/false, 1/0 or yes/no')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
}

/** A whole number between `min` and `max` (`unit` words the message: "a whole number of seconds"). */
export function envInteger(options: { min: number; max: number; unit?: string }) {
  const what = `expected a whole number${options.unit ? ` of ${options.unit}` : ''} between ${options.min} and ${options.max}`;
  return z
    .string()
    .trim()
    .refine((v) => /^-?\d+$/.test(v) && Number(v) >= options.min && Number(v) <= options.max, what)
    .transform(Number);
}

/** The variables of `env` that are set: empty strings count as unset. */
function setVariables(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** `VARIABLE: message` for each issue (an issue with no path is about the whole fragment). */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
}

function invalid(problems: readonly string[]): ConfigError {
  return new ConfigError(`Invalid configuration: ${problems.join('; ')}`, problems);
}

/**
 * A fragment from a zod schema over the environment (usually a `z.object` of variable names, which
 * may `superRefine` pairs and `transform` to the capability's settings). Empty strings count as unset;
 * each issue is reported with the variable's name, so give a cross-variable issue the path of the
 * variable to fix.
 */
export function defineConfig<T>(name: string, schema: z.ZodType<T, any>): ConfigFragment<T> {
  return {
    name,
    parse(env) {
      const parsed = schema.safeParse(setVariables(env));
      if (!parsed.success) throw invalid(describeIssues(parsed.error.issues));
      return parsed.data;
    },
  };
}

const booleanFromEnv = envBoolean();

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
  // How long an anonymous visitor's page may be served from memory (writes and domain events clear it sooner); 0 turns it off.
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  TRANSCODE_PRESET: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).default('veryfast'),
});

const CONFIG_SOURCE = Symbol('fanfare.configSource');

/** The environment loadConfig read (frozen) and the sections parsed from it so far, by fragment. */
interface ConfigSource {
  readonly env: Env;
  readonly sections: Map<ConfigFragment<unknown>, unknown>;
}

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
  /** Seconds an anonymous page stays in the memory cache at most (0: no cache). */
  pageCacheSeconds: number;
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
  /** What `configSection` serves capabilities from; symbol-keyed so it is never logged or serialized. */
  readonly [CONFIG_SOURCE]: ConfigSource;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Read `.env` in the working directory into `process.env` first (entry points only). */
  loadDotEnv?: boolean;
  /** Capabilities' fragments to validate now, with the core variables: every problem is reported at once. */
  fragments?: readonly ConfigFragment<unknown>[];
}

/**
 * Reads configuration from `env` (and `.env` when `loadDotEnv` is set), refusing invalid values with one
 * ConfigError that names every bad variable, of the core schema and of each fragment given. Call it before
 * opening the database, so a typo stops the start cleanly.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  if (options.loadDotEnv) {
    try {
      process.loadEnvFile('.env');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const read: Env = Object.freeze(setVariables(env));
  const problems: string[] = [];
  const parsed = envSchema.safeParse(read);
  if (!parsed.success) problems.push(...describeIssues(parsed.error.issues));
  else if (parsed.data.S3_BUCKET && (!parsed.data.S3_ACCESS_KEY_ID || !parsed.data.S3_SECRET_ACCESS_KEY)) {
    problems.push('S3_BUCKET: needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  }
  const sections = new Map<ConfigFragment<unknown>, unknown>();
  for (const fragment of options.fragments ?? []) {
    try {
      sections.set(fragment, fragment.parse(read));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (!parsed.success || problems.length > 0) throw invalid(problems);
  const e = parsed.data;
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
    pageCacheSeconds: e.PAGE_CACHE_SECONDS,
    platformFeeBps: e.PLATFORM_FEE_BPS,
    storage,
    [CONFIG_SOURCE]: { env: read, sections },
  };
}

/**
 * The capability's typed section: the value validated at start (a fragment given to loadConfig), or
 * parsed now from the environment loadConfig saw (then kept). Throws ConfigError when invalid.
 */
export function configSection<T>(config: Config, fragment: ConfigFragment<T>): T {
  const source = config[CONFIG_SOURCE];
  const sections = source.sections as Map<ConfigFragment<T>, T>;
  if (sections.has(fragment)) return sections.get(fragment) as T;
  const value = fragment.parse(source.env);
  sections.set(fragment, value);
  return value;
}
