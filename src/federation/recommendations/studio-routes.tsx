import { Hono } from 'hono';
import { requireUser } from '../../accounts/index.js';
import { channelForAdmin, type ChannelRow } from '../../channels/index.js';
import { configSection } from '../../core/config.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { ValidationError } from '../../core/http/errors.js';
import { readForm, textFields, validateForm } from '../../core/http/form.js';
import { noticeFrom, pageEnv } from '../../core/http/layout.js';
import type { FieldState } from '../../core/http/fields.js';
import { federationConfig, type FederationSettings } from '../config.js';
import type { ResolveOptions } from './resolve.js';
import { recommendationFormSchema } from './schema.js';
import { addRecommendation, listRecommendations, listRecommendedBy, removeRecommendation, type RecommendationHooks } from './service.js';
import { RecommendationsPage } from './studio-page.js';

/** Options of `recommendationStudioRoutes`. */
export interface RecommendationStudioOptions extends RecommendationHooks {
  /**
   * How other sites are reached. `fetch.allowPrivateAddresses` defaults to federation's setting
   * (FEDERATION_ALLOW_PRIVATE_ADDRESSES, see federationConfig); tests also shorten time limits here.
   */
  resolve?: ResolveOptions;
}

/** Resolve options with the private-address switch taken from federation's settings when not given. */
export function resolveOptionsFrom(options: RecommendationStudioOptions, federation: Pick<FederationSettings, 'allowPrivateAddress'>): ResolveOptions {
  const fetch = options.resolve?.fetch ?? {};
  return { ...options.resolve, fetch: { ...fetch, allowPrivateAddresses: fetch.allowPrivateAddresses ?? federation.allowPrivateAddress } };
}

/**
 * The Studio page of a channel's recommendations, mounted under /studio:
 * `GET|POST /channels/:handle/recommendations` and `POST /channels/:handle/recommendations/:id/remove`.
 * Only the site owner and the channel's admins get in (editors and fans 403, anonymous visitors the
 * login page). A link that cannot be recommended re-shows the form with the reason, input kept (422).
 */
export function recommendationStudioRoutes(deps: AppDeps, options: RecommendationStudioOptions = {}) {
  const app = new Hono<AppEnv>();
  const resolve = resolveOptionsFrom(options, configSection(deps.config, federationConfig));
  const hooks: RecommendationHooks = { onRecommendationAdded: options.onRecommendationAdded, onRecommendationRemoved: options.onRecommendationRemoved };

  // No app.use('*'): mounted under /studio it would run for other capabilities' routes too.
  const adminChannel = (c: AppContext): Promise<ChannelRow> => {
    requireUser(c);
    return channelForAdmin(deps.db, c.var.user, c.req.param('handle') ?? '');
  };

  const page = async (c: AppContext, channel: ChannelRow, state: FieldState, status: 200 | 422 = 200) =>
    c.html(
      <RecommendationsPage
        env={pageEnv(c, true)}
        channel={channel}
        recommendations={await listRecommendations(deps.db, channel.id)}
        recommendedBy={await listRecommendedBy(deps.db, channel.id)}
        state={state}
        notice={status === 200 ? noticeFrom(c) : undefined}
      />,
      status,
    );

  app.get('/channels/:handle/recommendations', async (c) => page(c, await adminChannel(c), {}));

  app.post('/channels/:handle/recommendations', async (c) => {
    const channel = await adminChannel(c);
    const form = await readForm(c);
    const parsed = validateForm(recommendationFormSchema, form);
    if (!parsed.ok) return page(c, channel, { errors: parsed.errors, values: parsed.values }, 422);
    try {
      await addRecommendation(deps, channel.id, parsed.data, { resolve, hooks });
    } catch (error) {
      if (error instanceof ValidationError) return page(c, channel, { errors: error.fields, values: textFields(form) }, 422);
      throw error;
    }
    return c.redirect(`/studio/channels/${channel.handle}/recommendations?notice=recommendation_added`, 303);
  });

  app.post('/channels/:handle/recommendations/:id/remove', async (c) => {
    const channel = await adminChannel(c);
    await removeRecommendation(deps, channel.id, c.req.param('id'), hooks);
    return c.redirect(`/studio/channels/${channel.handle}/recommendations?notice=recommendation_removed`, 303);
  });

  return app;
}
