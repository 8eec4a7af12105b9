/** Why an incoming activity was refused before anything else looked at it. */
export type OriginProblem = 'activity_id_foreign' | 'object_foreign' | 'undo_of_another_actor';

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  if (Array.isArray(value) && value.length === 1) return idOf(value[0]);
  return undefined;
}

function originOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  try {
    return new URL(uri).origin;
  } catch {
    return undefined;
  }
}

/** Activities whose object must come from the actor's own server: nobody creates, edits or deletes for another host. */
const AUTHORED = new Set(['Create', 'Update', 'Delete']);

/**
 * Checks an incoming activity (raw JSON) for objects claimed on behalf of another server: its id, and the
 * object of a Create/Update/Delete, must be on its actor's host, and an Undo may only undo the actor's own
 * activity. Returns the problem, or undefined when the activity is acceptable (or too malformed to judge:
 * the signature check and Fedify's parser refuse those). Pure, so the inbox can refuse before queueing.
 */
export function checkActivityOrigins(activity: unknown): OriginProblem | undefined {
  if (!activity || typeof activity !== 'object') return undefined;
  const a = activity as Record<string, unknown>;
  const actor = idOf(a.actor);
  const actorOrigin = originOf(actor);
  if (!actorOrigin) return undefined;
  if (typeof a.id === 'string' && originOf(a.id) !== actorOrigin) return 'activity_id_foreign';
  const type = typeof a.type === 'string' ? a.type : '';
  const objectId = idOf(a.object);
  if (AUTHORED.has(type) && objectId !== undefined && originOf(objectId) !== actorOrigin) return 'object_foreign';
  if (type === 'Undo') {
    if (objectId !== undefined && originOf(objectId) !== actorOrigin) return 'object_foreign';
    const inner = a.object;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const innerActor = idOf((inner as Record<string, unknown>).actor);
      if (innerActor !== undefined && innerActor !== actor) return 'undo_of_another_actor';
    }
  }
  return undefined;
}

/** Same check on the parsed activity (the queued path, in case a message skipped the route). */
export function sameOrigin(a: URL | null | undefined, b: URL | null | undefined): boolean {
  return !!a && !!b && a.origin === b.origin;
}
