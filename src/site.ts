import type { ConfigFragment } from './core/config.js';
import type { AppDeps } from './core/deps.js';
import { eventJobHandlers, type EventHandler, type EventName, type SubscriberIndex } from './core/events/index.js';
import { registerMessages } from './core/i18n/index.js';
import { enqueue, type JobHandler, type JobHandlers } from './core/jobs/index.js';
import type { BuildContext, CapabilityManifest, SiteServices, Slots } from './core/module.js';

/** A site assembled from the capability list: its context, job handlers and recurring jobs. */
export interface Site {
  readonly modules: readonly CapabilityManifest[];
  readonly ctx: BuildContext;
  /** Every job type's handler: the capabilities' own jobs, their event subscriptions and recurring jobs. */
  jobHandlers(): JobHandlers;
  /** Enqueues the first run of each recurring job (idempotent: one chain per job type and interval). */
  scheduleRecurring(): Promise<void>;
}

export interface BuildSiteOptions {
  /** Services to use instead of those the capabilities build (tests swap payment rails this way). */
  services?: Partial<SiteServices>;
}

/** Who subscribes to what, read from the manifests without building anything (the event bus needs it first). */
export function subscriberIndex(modules: readonly CapabilityManifest[]): SubscriberIndex {
  const index: Partial<Record<EventName, string[]>> = {};
  for (const m of modules) for (const event of Object.keys(m.subscriptions ?? {}) as EventName[]) (index[event] ??= []).push(m.name);
  return index;
}

/** Every capability's configuration fragment, for `loadConfig`. */
export function configFragments(modules: readonly CapabilityManifest[]): ConfigFragment<unknown>[] {
  return modules.flatMap((m) => (m.config ? [m.config] : []));
}

/**
 * Gives the translator every capability's words (idempotent; a key two capabilities define is refused).
 * `buildSite` calls it, so the web app, the worker and the tests' sites all know every key; the CLI calls it
 * before doing anything.
 */
export function registerCapabilityMessages(modules: readonly CapabilityManifest[]): void {
  for (const m of modules) if (m.messages) registerMessages(m.name, m.messages);
}

/** Builds the services and context every capability factory receives, in list order. */
export function buildSite(deps: AppDeps, modules: readonly CapabilityManifest[], options: BuildSiteOptions = {}): Site {
  const names = new Set<string>();
  for (const m of modules) {
    if (names.has(m.name)) throw new Error(`two capabilities are named ${m.name}`);
    names.add(m.name);
  }
  registerCapabilityMessages(modules);
  const services = {} as SiteServices;
  const slotCache = new Map<keyof Slots, unknown[]>();
  const ctx: BuildContext = {
    deps,
    services,
    modules,
    fill(slot) {
      let filled = slotCache.get(slot);
      if (!filled) {
        filled = modules.flatMap((m) => {
          const factory = m.contributes?.[slot] as ((c: BuildContext) => unknown) | undefined;
          return factory ? [factory(ctx)] : [];
        });
        slotCache.set(slot, filled);
      }
      return filled as Slots[typeof slot][];
    },
    async studioAccess(c) {
      const user = c.var.user;
      if (!user) return false;
      if (user.siteRole === 'owner') return true;
      for (const allowed of ctx.fill('site.studio-access')) if (await allowed(user)) return true;
      return false;
    },
  };
  for (const m of modules) Object.assign(services, m.services?.(ctx) ?? {});
  Object.assign(services, options.services ?? {});

  const recurringInterval = (type: string) => {
    for (const m of modules) for (const r of m.recurring ?? []) if (r.type === type) return r.everySeconds(ctx) * 1000;
    throw new Error(`no recurring job ${type}`);
  };
  /** The next run of a recurring job: the dedupe key per time slot keeps one chain however often it is asked. */
  const scheduleNext = async (type: string, afterMs: number) => {
    const interval = recurringInterval(type);
    const slot = Math.ceil((deps.clock.now().getTime() + afterMs) / interval);
    await enqueue(deps.db, { type, runAt: new Date(slot * interval), dedupeKey: `recurring:${type}:${interval}:${slot}`, maxAttempts: 3 }, deps.clock);
  };

  return {
    modules,
    ctx,
    jobHandlers() {
      const handlers: Record<string, JobHandler> = {};
      const add = (more: JobHandlers, from: string) => {
        for (const [type, handler] of Object.entries(more)) {
          if (handlers[type]) throw new Error(`job type ${type} is handled twice (again by ${from})`);
          handlers[type] = handler;
        }
      };
      for (const m of modules) {
        add(m.jobs?.(ctx) ?? {}, m.name);
        const subscriptions: Partial<Record<EventName, EventHandler<EventName>>> = {};
        for (const [event, factory] of Object.entries(m.subscriptions ?? {}) as [EventName, (c: BuildContext) => EventHandler<EventName>][]) {
          subscriptions[event] = factory(ctx);
        }
        add(eventJobHandlers(m.name, subscriptions), m.name);
        // A recurring job schedules its next run before doing its work, so a failure cannot break the chain.
        for (const r of m.recurring ?? []) {
          const own = handlers[r.type];
          if (!own) throw new Error(`${m.name} declares the recurring job ${r.type} but no handler for it`);
          handlers[r.type] = async (context) => {
            await scheduleNext(r.type, 1);
            return own(context);
          };
        }
      }
      return handlers;
    },
    async scheduleRecurring() {
      for (const m of modules) for (const r of m.recurring ?? []) await scheduleNext(r.type, 0);
    },
  };
}
