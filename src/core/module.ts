import type { Hono, MiddlewareHandler } from 'hono';
import type { ConfigFragment } from './config.js';
import type { AppDeps } from './deps.js';
import type { EventHandler, EventName } from './events/index.js';
import type { Messages } from './i18n/index.js';
import type { AppContext, AppEnv, CurrentUser } from './http/context.js';
import type { JobHandlers } from './jobs/index.js';

/**
 * What a capability brings to the site, declared in its `index.ts` (the only file other capabilities import).
 * `src/modules.ts` lists the manifests in order; `app.ts`, the worker and the CLI build everything from that
 * list, so adding a capability is its folder, one line in the list and a migration.
 *
 * The model is Fedify's "define, then build": a manifest is inert data and factories; nothing runs until the
 * site is assembled (`buildSite`), and every factory receives the same {@link BuildContext}.
 */
export interface CapabilityManifest {
  /** Unique, kebab-case: `videos`, `fan-budget`. Names job types of its event subscriptions. */
  readonly name: string;
  /** The capability's part of the configuration, validated with the rest at start. */
  readonly config?: ConfigFragment<unknown>;
  /** Objects other capabilities reach through `ctx.services` (see {@link SiteServices}). Built in list order. */
  services?(ctx: BuildContext): Partial<SiteServices>;
  /** Request middleware run on every request before routing, in list order (the session reader). */
  middleware?(ctx: BuildContext): MiddlewareHandler<AppEnv>;
  /** Route groups, each with the area that decides its guard, CSRF, frame policy and error format. */
  readonly routes?: readonly RouteMount[];
  /** Background job handlers by job type. */
  jobs?(ctx: BuildContext): JobHandlers;
  /** Jobs that run again and again (the federation reconcile, the ledger self-check). */
  readonly recurring?: readonly RecurringJob[];
  /** Domain events this capability reacts to (see core/events/catalog.ts), each delivered as its own job. */
  readonly subscriptions?: EventSubscriptions;
  /** What it puts into named places of other capabilities' pages and menus. */
  readonly contributes?: Contributions;
  /** How each table it owns travels in an export, or why it does not. */
  readonly tables: Readonly<Record<string, TablePortability>>;
  /**
   * Its words: the `en` and `fr` catalogs of its `messages.ts` (French type-checked complete against
   * English). Building the site registers them with the translator; their keys join `MessageKey` by
   * declaration merging in that file. Every manifest sets it, empty when the capability shows no text.
   */
  readonly messages?: Messages;
}

/**
 * Where a route group lives. The app derives everything security-relevant from it (see `core/http/areas.ts`):
 * - `public`: pages anyone may open; CSRF on unsafe methods; no framing; HTML errors.
 * - `account`: a signed-in fan's own pages; as public, and anonymous visitors are sent to the login page.
 * - `studio`: the back office; as account, and only the owner and channel teams get in (403 for fans).
 * - `api`: JSON endpoints for the site's own scripts and for oEmbed; CSRF on unsafe methods; JSON errors.
 * - `federation`: ActivityPub, WebFinger, NodeInfo; signatures instead of CSRF; JSON errors.
 * - `webhook`: payment providers calling back; their signature instead of CSRF; JSON errors.
 * - `feed`: RSS/Atom/podcast; no cookies set; framable (CORP off) so podcast web players can load covers.
 * - `embed`: the player other sites put in a frame; framable.
 * - `media`: stored files (segments, posters, avatars); framable, cross-origin readable.
 */
export type Area = 'public' | 'account' | 'studio' | 'api' | 'federation' | 'webhook' | 'feed' | 'embed' | 'media';

/** One route group of a capability. */
export interface RouteMount {
  readonly area: Area;
  /** Where the group is mounted (`/`, `/studio`). */
  readonly path: string;
  build(ctx: BuildContext): Hono<AppEnv>;
  /** Streams its own body (tus uploads enforce their own size limit): no form body limit. */
  readonly streamsBody?: boolean;
  /** Errors as JSON even in an HTML area (upload endpoints called by scripts). */
  readonly jsonErrors?: boolean;
  /**
   * Mounted ahead of the site-wide middleware (capabilities' middleware such as the session, language, the
   * setup gate): its handlers see no user, no language, no site row, and answer their own errors. For
   * media served on a signature alone (videos' signed segments), where a session lookup per request is the cost.
   */
  readonly beforeSiteMiddleware?: boolean;
}

/** A job enqueued at start and re-enqueued by itself, one chain per site (deduplicated by type and time slot). */
export interface RecurringJob {
  readonly type: string;
  /** Seconds between runs, read from the configuration. */
  everySeconds(ctx: BuildContext): number;
}

/**
 * Services capabilities offer each other, filled by declaration merging in the offering capability's
 * index.ts (`declare module '../core/module.js' { interface SiteServices { payments: PaymentServices } }`),
 * so core names no capability and every lookup is typed.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SiteServices {}

/**
 * Named places where capabilities put things: page slots (`watch.below-player`), menu entries
 * (`studio.channel-menu`), registries (`payments.purposes`). The capability that owns the place declares its
 * type by declaration merging, as for {@link SiteServices}; others contribute a factory.
 */
export interface Slots {
  /** Who may enter the Studio: anyone for whom one contribution says yes (the channels capability decides). */
  'site.studio-access': (user: CurrentUser) => Promise<boolean>;
  /** Origins other than the site's own that its pages' scripts connect to (the CSP's connect-src), e.g. P2P trackers. */
  'site.connect-sources': () => string[];
}

export type EventSubscriptions = { readonly [E in EventName]?: (ctx: BuildContext) => EventHandler<E> };

export type Contributions = { readonly [K in keyof Slots]?: (ctx: BuildContext) => Slots[K] };

/** What every manifest factory receives. */
export interface BuildContext {
  readonly deps: AppDeps;
  /** The services built so far (all of them once routes, jobs and slots are built). */
  readonly services: SiteServices;
  /** Every capability of the site, in list order (portability reads their table declarations). */
  readonly modules: readonly CapabilityManifest[];
  /** Everything contributed to `slot`, in list order. */
  fill<K extends keyof Slots>(slot: K): Slots[K][];
  /** Whether the signed-in user may enter the Studio (for the header link). */
  studioAccess(c: AppContext): Promise<boolean>;
}

/**
 * How a table's rows travel between sites. The portability capability exports and imports every `rows`
 * table with one generic copier driven by the database's own keys (so a new table travels as soon as it
 * is declared): a channel's rows are those with its `channel_id`, or whose foreign keys point at rows
 * already taken; rows they point to in other tables (the fans who paid) come along. On import every
 * uuid and identity key is given a new value and every reference (and every text holding an old uuid,
 * such as a storage key or a ledger account code) is rewritten to it.
 */
export type TablePortability =
  | {
      readonly export: 'rows';
      readonly scope: 'site' | 'channel';
      readonly note?: string;
      /** Columns holding media storage keys (files copied into the archive under `files/<key>`). */
      readonly files?: readonly string[];
      /** Columns holding a storage prefix (a folder: every file under it travels; local storage only). */
      readonly folders?: readonly string[];
      /** A natural key: an imported row equal on these columns to a row already there is that row (users by e-mail). */
      readonly match?: readonly string[];
      /** Values imported rows take instead of theirs (the old site's owner is a member here). */
      readonly importAs?: Readonly<Record<string, string | number | boolean | null>>;
      /** Exported for the record but not recreated on import, and why. */
      readonly archiveOnly?: string;
    }
  | { readonly export: 'none'; readonly why: string };

/** Declares a manifest with its types checked; returns it unchanged. */
export function defineCapability(manifest: CapabilityManifest): CapabilityManifest {
  return manifest;
}

/** Memoizes a build per site: one route builder whose groups are mounted in different areas is built once. */
export function oncePerSite<T>(build: (ctx: BuildContext) => T): (ctx: BuildContext) => T {
  const built = new WeakMap<BuildContext, T>();
  return (ctx) => {
    if (!built.has(ctx)) built.set(ctx, build(ctx));
    return built.get(ctx)!;
  };
}
