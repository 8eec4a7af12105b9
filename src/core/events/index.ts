/**
 * Durable domain events on the jobs table. Publishing records one job per subscriber in the publisher's
 * transaction, deduplicated by key, so a crash between the change and the reaction loses nothing and a
 * replay changes nothing; handlers run as jobs (at least once: idempotent). Unlike Ghost's in-memory
 * dispatch after commit, nothing is lost when the process dies; like PeerTube, the events are a typed catalog.
 */
export type { DomainEvents, EventName, VideoChange } from './catalog.js';
export { createEventBus, eventJobHandlers, eventJobType, silentEventBus, type EventBus, type EventHandler, type EventHandlers, type SubscriberIndex } from './bus.js';
