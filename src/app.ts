import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { accountRoutes } from './accounts/routes.js';
import { sessionMiddleware } from './accounts/session-middleware.js';
import { canUseStudio } from './channels/service.js';
import { channelRoutes } from './channels/routes.js';
import type { AppDeps } from './core/deps.js';
import type { AppContext, AppEnv } from './core/http/context.js';
import { cookiePolicy } from './core/http/cookies.js';
import { csrfProtection } from './core/http/csrf.js';
import { createErrorHandler, notFoundHandler } from './core/http/error-handler.js';
import { PayloadTooLargeError } from './core/http/errors.js';
import { localeMiddleware } from './core/http/locale.js';
import { setupRoutes } from './setup/routes.js';
import { siteRoutes } from './site/routes.js';
import { feedRoutes } from './feeds/routes.js';
import { channelRecommendationShelf, recommendationPublicRoutes, recommendationStudioRoutes, videoRecommendationShelf, type RecommendationStudioOptions } from './federation/recommendations/index.js';
import { studioRoutes } from './studio/routes.js';
import { ChannelVideosSection } from './videos/pages/listing.js';
import { publicChannelVideos, videoRoutes } from './videos/routes.js';
import { videoStudioRoutes } from './videos/studio-routes.js';
import { createUploadServer, UPLOAD_PATH } from './videos/upload/tus.js';
import { ffmpegBinaries } from './videos/transcode-job.js';
import { webhookRoutes, WEBHOOK_PATH } from './funding/payments/routes.js';
import type { PaymentServices } from './funding/payments/services.js';
import type { PurposeRegistry } from './funding/payments/events.js';
import { TEST_CHECKOUT_PATH, testCheckoutRoutes } from './funding/providers/index.js';
import { tipRoutes, tipWidget } from './funding/tips/routes.js';
import { membershipRoutes } from './funding/memberships/routes.js';
import { fundingStudioRoutes } from './funding/studio/routes.js';
import { FEDERATION_CSRF_EXEMPT_PREFIXES, federationRoutes, federationServices, federationStudioRoutes } from './federation/index.js';

/** Largest form body accepted (an avatar upload plus fields). Video uploads will have their own route. */
export const MAX_FORM_BYTES = 3 * 1024 * 1024;

/** Paths that work before the site is set up. */
const OPEN_BEFORE_SETUP = /^\/(setup|healthz|assets\/|language$)/;

/**
 * Builds the web application. It only wires core middleware and mounts each capability's routes;
 * the capabilities hold the behaviour.
 */
export interface AppServices {
  payments: PaymentServices;
  purposes: PurposeRegistry;
  /** Resolver limits and hooks (federation announces new recommendations through them). */
  recommendations?: RecommendationStudioOptions;
}

export function createApp(deps: AppDeps, services: AppServices): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const cookies = cookiePolicy(deps.config.publicUrl);
  const onError = createErrorHandler({ log: deps.log, defaultLocale: deps.config.defaultLanguage, maxBodyBytes: MAX_FORM_BYTES });

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // Path only: query strings can hold tokens (magic links).
    deps.log.info({ method: c.req.method, path: new URL(c.req.url).pathname, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  const csp = (frameAncestors: string[]) => ({
    defaultSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    mediaSrc: ["'self'", 'blob:'],
    styleSrc: ["'self'"],
    scriptSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    formAction: ["'self'"],
    frameAncestors,
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  });
  const hsts = deps.config.publicUrl.startsWith('https://') ? 'max-age=31536000; includeSubDomains' : false;
  const pageHeaders = secureHeaders({ contentSecurityPolicy: csp(["'none'"]), strictTransportSecurity: hsts });
  // The embed player is the one page other sites may put in a frame.
  const embedHeaders = secureHeaders({ contentSecurityPolicy: csp(['*']), xFrameOptions: false, strictTransportSecurity: hsts, crossOriginResourcePolicy: false });
  app.use('*', (c, next) => (c.req.path.startsWith('/embed/') || /^\/(media|feeds)\//.test(c.req.path) ? embedHeaders(c, next) : pageHeaders(c, next)));
  // Feeds are public and cacheable: mounted before the session/CSRF middleware so they carry no cookie.
  app.route('/', feedRoutes(deps));
  const formLimit = bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: () => {
      throw new PayloadTooLargeError(MAX_FORM_BYTES);
    },
  });
  // Video uploads stream to disk through tus, which enforces MAX_UPLOAD_MB itself.
  app.use('*', (c, next) => (c.req.path.startsWith(UPLOAD_PATH) ? next() : formLimit(c, next)));
  app.use('*', sessionMiddleware(deps, cookies));
  app.use('*', localeMiddleware(cookies, deps.config.defaultLanguage));
  app.use('*', csrfProtection({ secret: deps.signingSecret, cookies, publicUrl: deps.config.publicUrl, exemptPrefixes: [WEBHOOK_PATH, ...FEDERATION_CSRF_EXEMPT_PREFIXES] }));
  app.use('*', setupGate(deps));

  const studioAccess = (c: AppContext) => canUseStudio(deps.db, c.var.user);
  const fed = federationServices(deps);
  app.route('/', federationRoutes(deps, fed));
  app.route('/', siteRoutes(deps));
  app.route('/setup', setupRoutes(deps, cookies));
  app.route('/', accountRoutes(deps, cookies, studioAccess));
  app.route('/studio', studioRoutes(deps));
  app.route('/studio', videoStudioRoutes(deps, createUploadServer(deps, ffmpegBinaries)));
  app.route('/studio', fundingStudioRoutes(deps));
  app.route('/studio', federationStudioRoutes(deps, fed));
  app.route('/studio', recommendationStudioRoutes(deps, services.recommendations));
  app.route('/', recommendationPublicRoutes(deps));
  app.route('/', videoRoutes(deps, studioAccess, async (env, video) => [await tipWidget(deps, services.payments, env, video), await videoRecommendationShelf(deps, env, video)]));
  app.route('/', tipRoutes(deps, services.payments));
  app.route('/', membershipRoutes(deps, services.payments));
  app.route('/', webhookRoutes(deps, services.payments, services.purposes));
  if (services.payments.providers.test) app.route(TEST_CHECKOUT_PATH, testCheckoutRoutes({ provider: services.payments.providers.test }));
  app.route(
    '/',
    channelRoutes(
      deps,
      studioAccess,
      async (env, channel, page) => {
        const { videos, pageCount } = await publicChannelVideos(deps, channel.id, page);
        return ChannelVideosSection({ env, handle: channel.handle, videos, page, pageCount });
      },
      (env, channel) => channelRecommendationShelf(deps, env, channel),
    ),
  );

  app.onError(onError);
  app.notFound(notFoundHandler(onError));
  return app;
}

/** Loads the site row; until the site is set up, every page leads to /setup. */
function setupGate(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const rows = await deps.db.query<{ name: string }>('SELECT name FROM site');
    c.set('site', rows[0] ?? null);
    const path = new URL(c.req.url).pathname;
    if (rows.length === 0 && !OPEN_BEFORE_SETUP.test(path)) return c.redirect('/setup', 303);
    await next();
  });
}
