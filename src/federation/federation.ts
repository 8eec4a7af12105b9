import { createExponentialBackoffPolicy, createFederation, kvCache, type Context, type Federation } from '@fedify/fedify';
import { configSection } from '../core/config.js';
import type { AppDeps } from '../core/deps.js';
import { federationConfig, type FederationSettings } from './config.js';
import { registerActors } from './actors.js';
import { registerInbox } from './inbox.js';
import type { LocalCommentsSource } from './comment-notes.js';
import { createDbKvStore } from './kv-store.js';
import type { LocalPostsSource } from './post-articles.js';
import { createJobMessageQueue, type JobMessageQueue } from './message-queue.js';
import { registerNodeInfo } from './nodeinfo.js';
import { createAuthenticatedDocumentLoader, createDocumentLoader, DEFAULT_FETCH_LIMITS, type RemoteFetchLimits } from './remote-fetch.js';

/** Everything federation needs at run time, built once per process (see federationServices). */
export interface FederationServices {
  federation: Federation<void>;
  kv: ReturnType<typeof createDbKvStore>;
  queue: JobMessageQueue;
  limits: RemoteFetchLimits;
  /** FEDERATION_* settings (see config.ts). */
  settings: FederationSettings;
  /** A Fedify context for code outside requests (jobs): URLs and keys of local actors. */
  context(): Context<void>;
  /** Local comments (from the community capability), when it is mounted. */
  comments(): LocalCommentsSource | undefined;
  /** The creators' posts (from the community capability), when it is mounted. */
  posts(): LocalPostsSource | undefined;
}

/**
 * Builds Fedify on our database: its key-value store is `federation_kv` and its message queue the job
 * queue (`federation.fedify` jobs), so every process shares them. Remote fetches go through our own
 * loaders (public addresses only unless FEDERATION_ALLOW_PRIVATE_ADDRESSES, 10 s, 1 MB). URLs are built
 * from PUBLIC_URL, whatever Host a request came with. Settings come from `deps.config` (federationConfig).
 */
/** What other capabilities tell federation: how many local comments NodeInfo reports, and the comments themselves. */
export interface FederationServiceOptions {
  localComments?: () => Promise<number>;
  /** The comments written on this site (federated as Notes; their policy travels on video objects). */
  comments?: () => LocalCommentsSource | undefined;
  /** The creators' posts (public ones federated as Articles). */
  posts?: () => LocalPostsSource | undefined;
}

export function createFederationServices(deps: AppDeps, options: FederationServiceOptions = {}): FederationServices {
  const settings = configSection(deps.config, federationConfig);
  const limits: RemoteFetchLimits = {
    ...DEFAULT_FETCH_LIMITS,
    allowPrivateAddress: settings.allowPrivateAddress,
    userAgent: `Fanfare/0.1 (+${deps.config.publicUrl}/)`,
  };
  const kv = createDbKvStore({ db: deps.db, clock: deps.clock });
  const queue = createJobMessageQueue({ db: deps.db, clock: deps.clock });
  const documentLoader = kvCache({ loader: createDocumentLoader(limits), kv, prefix: ['_fedify', 'remoteDocument'] });
  const federation = createFederation<void>({
    kv,
    queue,
    // Only worker processes listen (federationJobHandlers); web processes just enqueue.
    manuallyStartQueue: true,
    origin: deps.config.publicUrl,
    documentLoaderFactory: () => documentLoader,
    contextLoaderFactory: () => documentLoader,
    authenticatedDocumentLoaderFactory: (identity) => createAuthenticatedDocumentLoader(limits, identity),
    outboxRetryPolicy: createExponentialBackoffPolicy({ initialDelay: { seconds: 10 }, maxDelay: { hours: 6 }, maxAttempts: 10 }),
    inboxRetryPolicy: createExponentialBackoffPolicy({ initialDelay: { seconds: 10 }, maxDelay: { hours: 1 }, maxAttempts: 8 }),
  });
  registerActors(federation, deps);
  registerInbox(federation, deps, options.comments ?? (() => undefined), options.posts ?? (() => undefined));
  registerNodeInfo(federation, deps, options.localComments);
  const base = new URL(deps.config.publicUrl);
  return { federation, kv, queue, limits, settings, context: () => federation.createContext(base, undefined), comments: options.comments ?? (() => undefined), posts: options.posts ?? (() => undefined) };
}

const byDeps = new WeakMap<AppDeps, FederationServices>();

/** The process's federation services for these deps: the web app and the job handlers share one. */
export function federationServices(deps: AppDeps, options: FederationServiceOptions = {}): FederationServices {
  let services = byDeps.get(deps);
  if (!services) {
    services = createFederationServices(deps, options);
    byDeps.set(deps, services);
  }
  return services;
}
