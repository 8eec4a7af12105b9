/**
 * Deadlines are entered as a wall time in an explicit IANA time zone ("2026-10-25T12:00" in
 * Europe/Paris) and stored as an instant. Wall times that happen twice (clocks going back) take the
 * earlier instant; wall times that never happen (clocks going forward) are refused, never guessed.
 */

/** Whether the runtime knows this IANA zone name. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_+\-/0-9]{1,64}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall time of `instant` in `zone`, as "YYYY-MM-DDTHH:mm". */
export function wallTimeIn(instant: Date, zone: string): string {
  const parts = Object.fromEntries(formatterFor(zone).formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}`;
}

/** How far `zone`'s clocks are ahead of UTC at `instant` (a whole minute), in ms. */
function offsetMs(instant: number, zone: string): number {
  return Date.parse(`${wallTimeIn(new Date(instant), zone)}:00Z`) - instant;
}

/**
 * The instant at which the clocks of `zone` show `wall` ("YYYY-MM-DDTHH:mm"); undefined when that wall
 * time does not exist there (the hour skipped when clocks go forward) or `wall` is malformed.
 */
export function instantOfWallTime(wall: string, zone: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(wall)) return undefined;
  const asUtc = Date.parse(`${wall}:00Z`);
  if (Number.isNaN(asUtc) || new Date(asUtc).toISOString().slice(0, 16) !== wall) return undefined;
  // The zone's offset is within ±14 h: try the offsets in force a day either side and keep what matches.
  const candidates = [...new Set([offsetMs(asUtc - 86_400_000, zone), offsetMs(asUtc, zone), offsetMs(asUtc + 86_400_000, zone)])]
    .map((offset) => asUtc - offset)
    .filter((instant) => wallTimeIn(new Date(instant), zone) === wall)
    .sort((a, b) => a - b);
  return candidates[0] === undefined ? undefined : new Date(candidates[0]);
}
