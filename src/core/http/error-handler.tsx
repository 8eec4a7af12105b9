import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../log.js';
import { negotiateLocale, translator, type MessageKey } from '../i18n/index.js';
import type { AppEnv } from './context.js';
import { isDiskFull } from '../storage/disk-space.js';
import { AppError, NotFoundError, PayloadTooLargeError, RateLimitedError, StorageFullError, UnauthorizedError } from './errors.js';
import { Layout, pageEnv } from './layout.js';
import { pathForLog } from './url-guard.js';

/** Route groups whose area answers in JSON (api, federation, webhooks, uploads) get JSON; others negotiate. */
function wantsJson(c: Context<AppEnv>): boolean {
  if ((c.var as Partial<AppEnv['Variables']>).jsonErrors) return true;
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function ensureTranslator(c: Context<AppEnv>, fallbackLocale: 'en' | 'fr', csrfToken: (c: Context<AppEnv>) => string): void {
  if ((c.var as Partial<AppEnv['Variables']>).csrfToken === undefined) c.set('csrfToken', csrfToken(c));
  if ((c.var as Partial<AppEnv['Variables']>).t) return;
  const locale = negotiateLocale(c.req.header('accept-language')) ?? fallbackLocale;
  c.set('locale', locale);
  c.set('t', translator(locale));
  c.set('user', c.var.user ?? null);
  c.set('site', c.var.site ?? null);
}

/** Turns any non-AppError that Hono or a middleware raised into the matching AppError. */
function toAppError(error: unknown, maxBodyBytes: number): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.name === 'BodyLimitError') return new PayloadTooLargeError(maxBodyBytes);
  if (error instanceof HTTPException && error.status === 413) return new PayloadTooLargeError(maxBodyBytes);
  if (error instanceof HTTPException && error.status === 404) return new NotFoundError();
  if (isDiskFull(error)) return new StorageFullError({ cause: error });
  return undefined;
}

/**
 * The one place errors become responses. AppErrors keep their status and a translated message;
 * anything else is a bug: logged with its stack, answered with a plain 500 that reveals nothing.
 */
export function createErrorHandler(options: { log: Logger; defaultLocale: 'en' | 'fr'; maxBodyBytes: number; csrfToken?: (c: Context<AppEnv>) => string }) {
  return (error: unknown, c: Context<AppEnv>) => {
    ensureTranslator(c, options.defaultLocale, options.csrfToken ?? (() => ''));
    const known = toAppError(error, options.maxBodyBytes);
    const status = known?.status ?? 500;
    const code = known?.code ?? 'internal_error';
    const key: MessageKey = known?.messageKey ?? 'error.internal';
    const message = c.var.t(key, known?.vars);
    if (!known) options.log.error({ err: error, path: pathForLog(c.req.url) }, 'unhandled error');
    if (known instanceof StorageFullError) options.log.error({ err: error, path: pathForLog(c.req.url) }, 'the disk is full: a write failed');
    if (known instanceof RateLimitedError) c.header('Retry-After', String(known.retryAfterSeconds));
    if (known instanceof UnauthorizedError && c.req.method === 'GET' && !wantsJson(c)) {
      const url = new URL(c.req.url);
      return c.redirect(`/login?back=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    if (wantsJson(c)) {
      const fields = known && 'fields' in known ? (known.fields as Record<string, MessageKey>) : undefined;
      const fieldMessages = fields ? Object.fromEntries(Object.entries(fields).map(([f, k]) => [f, c.var.t(k)])) : undefined;
      return c.json({ error: { code, message, ...(fieldMessages ? { fields: fieldMessages } : {}) } }, status);
    }
    const env = pageEnv(c);
    return c.html(
      <Layout env={env} title={c.var.t('error.title')}>
        <section class="error-page" aria-labelledby="error-heading">
          <h1 id="error-heading">{c.var.t('error.title')}</h1>
          <p>{message}</p>
          <p>
            <a href="/">{c.var.t('error.back_home')}</a>
          </p>
        </section>
      </Layout>,
      status,
    );
  };
}

/** 404 for any route nobody claimed, through the same handler. */
export function notFoundHandler(handler: ReturnType<typeof createErrorHandler>) {
  return (c: Context<AppEnv>) => handler(new NotFoundError(), c);
}
