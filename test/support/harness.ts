import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { MODULES } from '../../src/modules.js';
import { buildSite, subscriberIndex, type Site } from '../../src/site.js';
import type { JobHandlers } from '../../src/core/jobs/index.js';
import type { CapabilityManifest, SiteServices } from '../../src/core/module.js';
import { createManualClock, type Clock } from '../../src/core/clock.js';
import type { AppDeps } from '../../src/core/deps.js';
import { TestClient, setupFields } from './client.js';
import { createTestDeps } from './deps.js';

export { openTestDb } from './db.js';

export interface TestSite {
  deps: AppDeps;
  /** The site built from the capability list, as in production. */
  site: Site;
  services: SiteServices;
  /** Every job type's handler, as a worker process has them. */
  handlers: JobHandlers;
  app: ReturnType<typeof createApp>;
  dir: string;
  outboxDir: string;
  close(): Promise<void>;
}

/** A whole site wired as in production, on a throwaway database and a temporary data folder. */
export async function createTestSite(
  options: { env?: Record<string, string>; clock?: Clock; services?: Partial<SiteServices>; modules?: readonly CapabilityManifest[] } = {},
): Promise<TestSite> {
  const modules = options.modules ?? MODULES;
  // Configuration comes from the test's env only (never the machine's): the test bank by default.
  // The machine's ffmpeg, as before; every other setting from the test's env only.
  const machine = { PATH: process.env.PATH ?? '', ...(process.env.FFMPEG_PATH ? { FFMPEG_PATH: process.env.FFMPEG_PATH, FFPROBE_PATH: process.env.FFPROBE_PATH ?? '' } : {}) };
  const { deps, dir, outboxDir, close } = await createTestDeps({ env: { ...machine, TRUST_PROXY: 'true', ...options.env }, clock: options.clock, subscribers: subscriberIndex(modules) });
  const site = buildSite(deps, modules, { services: options.services });
  return { deps, site, services: site.ctx.services, handlers: site.jobHandlers(), app: createApp(deps, site), dir, outboxDir, close };
}

/**
 * A test site already set up in English by its owner (the first-run form), with year-long sessions so a
 * manual clock can run months ahead: the site, the owner's client and the first channel's id.
 */
export async function createSetUpSite(clock: Clock): Promise<{ site: TestSite; owner: TestClient; channelId: string }> {
  const site = await createTestSite({ clock, env: { SESSION_TTL_DAYS: '365' } });
  const owner = new TestClient(site.app);
  await owner.post('/setup', setupFields({ channel_language: 'en' }));
  const channelId = (await site.deps.db.query<{ id: string }>('SELECT id FROM channels'))[0]!.id;
  return { site, owner, channelId };
}

/** A fan who signed up through the magic link e-mailed to `email`, signed in on a client of their own. */
export async function signUpFan(site: TestSite, email: string): Promise<TestClient> {
  const client = new TestClient(site.app);
  await client.post('/signup', { email, display_name: email.split('@')[0]! });
  await client.post('/auth/magic', { token: latestMagicToken(site.outboxDir, email) });
  return client;
}

export { createManualClock };

/**
 * Puts a signed-in account on a channel's team as the Studio does it: an admin (`admin`) invites the
 * address, and its owner (`member`) accepts the invitation e-mailed to it.
 */
export async function addToTeam(site: TestSite, admin: TestClient, handle: string, member: TestClient, email: string, role: 'admin' | 'editor'): Promise<void> {
  const invited = await admin.post(`/studio/channels/${handle}/team`, { email, role });
  if (invited.res.status !== 303) throw new Error(`inviting ${email} to ${handle}: ${invited.res.status}`);
  const mail = readOutbox(site.outboxDir).filter((m) => m.includes(`To: ${email}`)).at(-1)!.replace(/=\r?\n/g, '');
  const token = /\/team-invitations\/([A-Za-z0-9_-]+)/.exec(mail)?.[1];
  if (!token) throw new Error(`no invitation e-mailed to ${email}`);
  const accepted = await member.post(`/team-invitations/${token}`, {});
  if (accepted.res.status !== 303) throw new Error(`accepting the invitation of ${email}: ${accepted.res.status}`);
}

/** E-mails written to the outbox, oldest first, as raw text. */
export function readOutbox(outboxDir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(outboxDir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return files.map((f) => readFileSync(path.join(outboxDir, f), 'utf8'));
}

/** The magic-link token in the latest e-mail sent to `to`. */
export function latestMagicToken(outboxDir: string, to: string): string {
  const mail = readOutbox(outboxDir)
    .filter((m) => m.includes(`To: ${to}`))
    .at(-1);
  if (!mail) throw new Error(`no e-mail to ${to} in the outbox`);
  // Quoted-printable may wrap long lines with "=\n"; undo that before searching.
  const unfolded = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /\/auth\/magic\?token=([A-Za-z0-9_-]+)/.exec(unfolded);
  if (!match) throw new Error('no magic link in the e-mail');
  return match[1]!;
}
