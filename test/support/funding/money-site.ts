// Helpers for the money pages' route tests: a whole test site at a fixed instant, and one browser per
// role on the channel "camille" (owner, channel admin, editor, fan), plus the admin of another channel.
import { TestClient, setupFields } from '../client.js';
import { addToTeam, createManualClock, createTestSite, signUpFan, type TestSite } from '../harness.js';
import { fundingStudioRoutes } from '../../../src/funding/studio/routes.js';

/** The tests' "now": 21 November 2026, noon UTC. */
export const NOW = new Date('2026-11-21T12:00:00Z');

export interface MoneySite {
  site: TestSite;
  channelId: string;
  owner: TestClient;
  admin: TestClient;
  editor: TestClient;
  fan: TestClient;
  /** Admin of the channel "noe", and of nothing else. */
  otherAdmin: TestClient;
  anonymous: TestClient;
}

/**
 * Mounts the money routes on the test site unless app.ts already does. Hono accepts routes until its
 * first request, and the core middleware (session, locale, CSRF, Studio gate, error handler) registered
 * before applies to them as it will once app.ts mounts them.
 */
function mountIfMissing(site: TestSite): void {
  if (site.app.routes.some((r) => r.path === '/studio/channels/:handle/revenue')) return;
  site.app.route('/studio', fundingStudioRoutes(site.deps));
}

/** A test site (site time zone UTC, clock stopped at NOW) with the channel camille and its team. */
export async function createMoneySite(): Promise<MoneySite> {
  const site = await createTestSite({ clock: createManualClock(NOW), env: { SITE_TIMEZONE: 'UTC' } });
  mountIfMissing(site);
  const owner = new TestClient(site.app, { 'accept-language': 'en' });
  await owner.post('/setup', setupFields({ channel_language: 'en' }));
  await owner.post('/studio/channels/new', { channel_name: 'Noé joue', handle: 'noe', description: '', channel_language: 'fr' });
  const admin = await signUpFan(site, 'admin@example.org');
  const editor = await signUpFan(site, 'editor@example.org');
  const fan = await signUpFan(site, 'fan@example.org');
  const otherAdmin = await signUpFan(site, 'noe@example.org');
  await addToTeam(site, owner, 'camille', admin, 'admin@example.org', 'admin');
  await addToTeam(site, owner, 'camille', editor, 'editor@example.org', 'editor');
  await addToTeam(site, owner, 'noe', otherAdmin, 'noe@example.org', 'admin');
  const anonymous = new TestClient(site.app);
  await anonymous.loadCsrf();
  const [channel] = await site.deps.db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`);
  return { site, channelId: channel!.id, owner, admin, editor, fan, otherAdmin, anonymous };
}

/** Switches a signed-in browser's interface language (saved on the account too). */
export async function useLanguage(client: TestClient, lang: 'en' | 'fr'): Promise<void> {
  await client.post('/language', { lang, back: '/' });
}
