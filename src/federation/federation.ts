import { createExponentialBackoffPolicy, createFederation, kvCache, type Context, type Federation } from '@fedify/fedify';
import type { AppDeps } from '../core/deps.js';
import { registerActors } from './actors.js';
import { registerInbox } from './inbox.js';
import { createDbKvStore } from './kv-store.js';
import { createJobMessageQueue, type JobMessageQueue } from './message-queue.js';
import { registerNodeInfo } from './nodeinfo.js';
import { createAuthenticatedDocumentLoader, createDocumentLoader, DEFAULT_FETCH_LIMITS, type RemoteFetchLimits } from './remote-fetch.js';

/** Settings read from the environment (the core config knows nothing of federation yet). */
export interface FederationSettings {
  /** FEDERATION_ALLOW_PRIVATE_ADDRESSES=true: fetch loopback/private addresses (tests with local instances). */
  allowPrivateAddress: boolean;
  /** FEDERATION_RECONCILE_SECONDS: how often the safety-net sync runs (default 300). */
  reconcileIntervalMs: number;
}

/** Reads the settings; unknown values fall back to the safe default. */
export function federationSettings(env: Record<string, string | undefined>): FederationSettings {
  const seconds = Number(env.FEDERATION_RECONCILE_SECONDS);
  return {
    allowPrivateAddress: env.FEDERATION_ALLOW_PRIVATE_ADDRESSES === 'true',
    reconcileIntervalMs: Number.isFinite(seconds) && seconds >= 1 ? Math.min(seconds, 86_400) * 1000 : 300_000,
  };
}

/** Everything federation needs at run time, built once per process (see federationServices). */
export interface FederationServices {
  federation: Federation<void>;
  kv: ReturnType<typeof createDbKvStore>;
  queue: JobMessageQueue;
  limits: RemoteFetchLimits;
  settings: FederationSettings;
  /** A Fedify context for code outside requests (jobs): URLs and keys of local actors. */
  context(): Context<void>;
}

/**
 * Builds Fedify on our database: its key-value store is `federation_kv` and its message queue the job
 * queue (`federation.fedify` jobs), so every process shares them. Remote fetches go through our own
 * loaders (public addresses only unless allowed, 10 s, 1 MB). URLs are built from PUBLIC_URL, whatever
 * Host a request came with.
 */
export function createFederationServices(deps: AppDeps, env: Record<string, string | undefined> = process.env): FederationServices {
  const settings = federationSettings(env);
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
  registerInbox(federation, deps);
  registerNodeInfo(federation, deps);
  const base = new URL(deps.config.publicUrl);
  return { federation, kv, queue, limits, settings, context: () => federation.createContext(base, undefined) };
}

const byDeps = new WeakMap<AppDeps, FederationServices>();

/** The process's federation services for these deps: the web app and the job handlers share one. */
export function federationServices(deps: AppDeps): FederationServices {
  let services = byDeps.get(deps);
  if (!services) {
    services = createFederationServices(deps);
    byDeps.set(deps, services);
  }
  return services;
}
