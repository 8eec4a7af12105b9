import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MailMessage } from '../core/mail/index.js';
import { runDueJobsOnce } from '../core/jobs/index.js';
import { TestClient, setupFields } from '../../test/support/client.js';
import { createManualClock, createTestSite, readOutbox, signUpFan, type TestSite } from '../../test/support/harness.js';
import { verpTag } from './suppressions.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const INBOUND_TOKEN = 'inbound-token-for-the-tests-0123456789';
const BOUNCES = 'bounces@mail.fanfare.test';

function mailsTo(site: TestSite, to: string, about: string): string[] {
  return readOutbox(site.outboxDir).filter((m) => m.includes(`To: ${to}`) && m.replace(/=\r?\n/g, '').includes(about));
}

/** A delivery status notification as Postfix writes it (RFC 3464), addressed to the envelope sender. */
function postfixDsn(o: { to: string; recipient: string; action: string; status: string; messageId: string }): string {
  return [
    'Return-Path: <>',
    `Delivered-To: ${o.to}`,
    'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
    'Subject: Undelivered Mail Returned to Sender',
    `To: ${o.to}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    '\tboundary="3F0E51C0A2.1763726400/mx.example.net"',
    'Message-Id: <20261121120100.3F0E51C0A2@mx.example.net>',
    '',
    'This is a MIME-encapsulated message.',
    '',
    '--3F0E51C0A2.1763726400/mx.example.net',
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.example.net.',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients.',
    '',
    '--3F0E51C0A2.1763726400/mx.example.net',
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    'X-Postfix-Queue-ID: 3F0E51C0A2',
    `X-Postfix-Sender: rfc822; ${o.to}`,
    'Arrival-Date: Sat, 21 Nov 2026 12:00:00 +0000 (UTC)',
    '',
    `Final-Recipient: rfc822; ${o.recipient}`,
    `Original-Recipient: rfc822;${o.recipient}`,
    `Action: ${o.action}`,
    `Status: ${o.status}`,
    'Remote-MTA: dns; mx2.example.net',
    `Diagnostic-Code: smtp; 550 ${o.status} <${o.recipient}>: Recipient address rejected:`,
    '    User unknown in virtual mailbox table',
    '',
    '--3F0E51C0A2.1763726400/mx.example.net',
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    `Return-Path: <${o.to}>`,
    'From: Camille <noreply@fanfare.test>',
    `To: ${o.recipient}`,
    'Subject: News',
    `Message-ID: ${o.messageId}`,
    '',
    '--3F0E51C0A2.1763726400/mx.example.net--',
    '',
  ].join('\r\n');
}

/** An abuse report (RFC 5965, its section 5 example's shape) with the recipient redacted, as feedback loops send. */
function arfComplaint(o: { messageId: string }): string {
  return [
    'From: <fbl@mailbox.example.com>',
    'Date: Sat, 21 Nov 2026 13:40:36 +0000',
    'Subject: FW: News',
    'To: <abuse@fanfare.test>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report;',
    '     boundary="part1_13d.2e68ed54_boundary"',
    '',
    '--part1_13d.2e68ed54_boundary',
    'Content-Type: text/plain; charset="US-ASCII"',
    'Content-Transfer-Encoding: 7bit',
    '',
    'This is an email abuse report for an email message received from IP',
    '192.0.2.1 on Sat, 21 Nov 2026 12:00:00 +0000.',
    '',
    '--part1_13d.2e68ed54_boundary',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: SomeGenerator/1.0',
    'Version: 1',
    'Original-Mail-From: <bounces@mail.fanfare.test>',
    'Arrival-Date: Sat, 21 Nov 2026 12:00:00 +0000',
    'Reporting-MTA: dns; mailbox.example.com',
    'Source-IP: 192.0.2.1',
    '',
    '--part1_13d.2e68ed54_boundary',
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    'From: Camille <noreply@fanfare.test>',
    'To: xxxxxxxx@mailbox.example.com',
    'Subject: News',
    'MIME-Version: 1.0',
    'Content-type: text/plain',
    `Message-ID: ${o.messageId}`,
    'Date: Sat, 21 Nov 2026 12:00:00 +0000',
    '',
    'News for you',
    '--part1_13d.2e68ed54_boundary--',
    '',
  ].join('\r\n');
}

describe('community: backers-only posts, campaign updates, bounces and complaints, blocks by address', () => {
  let site: TestSite;
  let owner: TestClient;
  let backer: TestClient;
  let member: TestClient;
  let channelId: string;
  let campaign: { id: string; slug: string };
  const sent: MailMessage[] = [];
  const runJobs = () => runDueJobsOnce({ db: site.deps.db, handlers: site.handlers, clock: site.deps.clock, maxJobs: 500 });
  const inbound = (raw: string, token = INBOUND_TOKEN) =>
    site.app.request('/webhooks/mail/inbound', { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` }, body: raw });

  before(async () => {
    site = await createTestSite({ clock: createManualClock(NOW), env: { BOUNCE_ADDRESS: BOUNCES, INBOUND_MAIL_TOKEN: INBOUND_TOKEN } });
    const send = site.deps.mailer.send.bind(site.deps.mailer);
    site.deps.mailer.send = async (message) => {
      sent.push(message);
      await send(message);
    };
    owner = new TestClient(site.app, { 'accept-language': 'en' });
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
    backer = await signUpFan(site, 'backer@example.org');
    member = await signUpFan(site, 'member@example.org');
    const db = site.deps.db;
    channelId = (await db.query<{ id: string }>(`SELECT id FROM channels WHERE handle = 'camille'`))[0]!.id;
    const deadline = new Date(NOW.getTime() + 20 * 86_400_000);
    const [row] = await db.query<{ id: string; slug: string }>(
      `INSERT INTO campaigns (channel_id, slug, title, goal_kind, goal, currency, min_pledge, deadline, time_zone, state, launched_at, original_deadline)
       VALUES ($1, 'new-film', 'A new film', 'amount', 100000, 'EUR', 500, $2, 'Europe/Paris', 'live', $3, $2) RETURNING id, slug`,
      [channelId, deadline, NOW],
    );
    campaign = row!;
    await db.query(
      `INSERT INTO campaign_pledges (campaign_id, user_id, amount, currency, status, provider) SELECT $1, id, 2000, 'EUR', 'pledged', 'test' FROM users WHERE email = 'backer@example.org'`,
      [campaign.id],
    );
    // A pledge cancelled before the deadline: not a backer any more.
    await db.query(
      `INSERT INTO campaign_pledges (campaign_id, user_id, amount, currency, status, provider) SELECT $1, id, 2000, 'EUR', 'cancelled', 'test' FROM users WHERE email = 'member@example.org'`,
      [campaign.id],
    );
  });
  after(() => site.close());

  it("sends a backers-only post to the campaign's backers only, locks it for others, never federates it nor lists it in feeds", async () => {
    await owner.get('/studio/channels/camille/community');
    const { res, html } = await owner.post('/studio/channels/camille/posts', { title: 'Shooting diary', body: 'Day **one**.', audience: 'backers', campaign: campaign.id });
    assert.equal(res.status, 303, html);
    await runJobs();
    assert.equal(mailsTo(site, 'backer@example.org', 'Shooting diary').length, 1);
    assert.equal(mailsTo(site, 'member@example.org', 'Shooting diary').length, 0, 'a cancelled pledge is no backer');
    const [post] = await site.deps.db.query<{ id: string; slug: string }>(`SELECT id, slug FROM community_posts WHERE title = 'Shooting diary'`);

    const asOther = (await member.get(`/c/camille/posts/${post!.slug}`)).html;
    assert.match(asOther, /for the backers of a campaign/);
    assert.match(asOther, /href="\/c\/camille\/campaigns\/new-film"/);
    assert.doesNotMatch(asOther, /Day <strong>one/);
    assert.match((await backer.get(`/c/camille/posts/${post!.slug}`)).html, /Day <strong>one/);
    assert.equal((await member.post(`/c/camille/posts/${post!.slug}/comments`, { body: 'Let me in' })).res.status, 404);
    await backer.get(`/c/camille/posts/${post!.slug}`);
    assert.equal((await backer.post(`/c/camille/posts/${post!.slug}/comments`, { body: 'Good luck!' })).res.status, 303);

    assert.equal((await site.app.request(`/ap/posts/${post!.id}`, { headers: { accept: 'application/activity+json' } })).status, 404, 'no Article');
    assert.doesNotMatch(await (await site.app.request('/c/camille/feed.rss')).text(), /Shooting diary/);
    assert.match((await owner.get('/c/camille')).html, /Backers only/);
    assert.match((await owner.get('/studio/channels/camille/community')).html, /Backers of “A new film”/);
  });

  it('refuses a backers-only post without a launched campaign of the channel (422, nothing written)', async () => {
    const db = site.deps.db;
    await db.query(`INSERT INTO campaigns (channel_id, slug, title, goal_kind, goal, currency, min_pledge, deadline, time_zone) VALUES ($1, 'draft-one', 'Draft', 'amount', 1000, 'EUR', 100, $2, 'UTC')`, [channelId, NOW]);
    const [draft] = await db.query<{ id: string }>(`SELECT id FROM campaigns WHERE slug = 'draft-one'`);
    await owner.get('/studio/channels/camille/community');
    for (const chosen of [draft!.id, '', 'not-a-uuid']) {
      const { res, html } = await owner.post('/studio/channels/camille/posts', { title: 'Nope', body: 'Nope.', audience: 'backers', campaign: chosen });
      assert.equal(res.status, 422);
      assert.match(html, /launched campaigns/);
    }
    assert.equal((await db.query(`SELECT 1 FROM community_posts WHERE title = 'Nope'`)).length, 0);
  });

  it('e-mails a campaign launch once to the followers who chose campaign updates', async () => {
    const db = site.deps.db;
    await member.get('/c/camille');
    await member.post('/c/camille/follow', {});
    await backer.get('/c/camille');
    await backer.post('/c/camille/follow', {});
    await db.query(`UPDATE community_followers SET wants_campaigns = false WHERE user_id = (SELECT id FROM users WHERE email = 'backer@example.org')`);
    for (let i = 0; i < 2; i += 1) {
      await db.transaction((tx) => site.deps.events.publish(tx, 'campaign.launched', { campaignId: campaign.id, channelId }, `launch-${i}`));
      await runJobs();
    }
    const launch = mailsTo(site, 'member@example.org', 'launched a campaign');
    assert.equal(launch.length, 1);
    assert.match(launch[0]!, /\/c\/camille\/campaigns\/new-film/);
    assert.match(launch[0]!, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    assert.equal(mailsTo(site, 'backer@example.org', 'launched a campaign').length, 0, 'campaign updates turned off');
  });

  it('sends with a signed VERP Return-Path; a DSN (RFC 3464) for it marks the address bounced and nothing more is sent to it', async () => {
    const db = site.deps.db;
    await db.query(
      `INSERT INTO community_followers (channel_id, kind, email, language, status, consent_at, confirmed_at, created_at, updated_at)
       VALUES ($1, 'email', 'gone@example.net', 'en', 'active', $2, $2, $2, $2), ($1, 'email', 'grumpy@example.net', 'en', 'active', $2, $2, $2, $2)`,
      [channelId, NOW],
    );
    await owner.get('/studio/channels/camille/community');
    await owner.post('/studio/channels/camille/posts', { title: 'Open news', body: 'Hello all.', audience: 'public' });
    await runJobs();
    const toGone = sent.find((m) => m.to === 'gone@example.net' && m.subject.startsWith('Open news'))!;
    const verp = `bounces+${verpTag(site.deps.signingSecret, 'gone@example.net')}@mail.fanfare.test`;
    assert.deepEqual(toGone.envelope, { from: verp, to: 'gone@example.net' });

    // Delayed (4.x.x) is not a bounce; a forged report for someone else's address is not ours; a wrong token is refused.
    const delayed = await inbound(postfixDsn({ to: verp, recipient: 'gone@example.net', action: 'delayed', status: '4.4.1', messageId: '<x@elsewhere>' }));
    assert.deepEqual(await delayed.json(), { outcome: 'ignored', reason: 'not a permanent failure' });
    const forged = await inbound(postfixDsn({ to: verp, recipient: 'member@example.org', action: 'failed', status: '5.1.1', messageId: '<x@elsewhere>' }));
    assert.deepEqual(await forged.json(), { outcome: 'ignored', reason: 'not ours' });
    assert.equal((await inbound('x', 'wrong-token-wrong-token-wrong')).status, 401);
    assert.equal((await inbound('hello\n\nnot a report')).status, 200);

    const bounce = await inbound(postfixDsn({ to: verp, recipient: 'gone@example.net', action: 'failed', status: '5.1.1', messageId: '<x@elsewhere>' }));
    assert.deepEqual(await bounce.json(), { outcome: 'bounced', address: 'gone@example.net', detail: '5.1.1' });
    assert.equal((await db.query<{ status: string }>(`SELECT status FROM community_followers WHERE email = 'gone@example.net'`))[0]!.status, 'bounced');

    // A complaint through a feedback loop, the recipient redacted: our Message-ID names the address.
    const toGrumpy = sent.find((m) => m.to === 'grumpy@example.net' && m.subject.startsWith('Open news'))!;
    const complaint = await inbound(arfComplaint({ messageId: toGrumpy.messageId! }));
    assert.deepEqual(await complaint.json(), { outcome: 'complained', address: 'grumpy@example.net', detail: 'abuse' });
    assert.equal((await db.query<{ status: string }>(`SELECT status FROM community_followers WHERE email = 'grumpy@example.net'`))[0]!.status, 'unsubscribed');
    // A Message-ID of ours for a delivery that never happened proves nothing.
    const unknown = toGrumpy.messageId!.replace(/\.[A-Za-z0-9_-]+@/, `.${Buffer.from('never-written@example.org').toString('base64url')}@`);
    assert.deepEqual(await (await inbound(arfComplaint({ messageId: unknown }))).json(), { outcome: 'ignored', reason: 'not ours' });

    // Neither gets the next post, even as a re-follow's confirm e-mail; the Studio lists both.
    await db.query(`UPDATE community_followers SET status = 'active' WHERE email IN ('gone@example.net', 'grumpy@example.net')`);
    await owner.post('/studio/channels/camille/posts', { title: 'More news', body: 'Again.', audience: 'public' });
    await runJobs();
    assert.equal(sent.filter((m) => m.subject.startsWith('More news') && /gone|grumpy/.test(m.to)).length, 0);
    assert.ok(sent.some((m) => m.subject.startsWith('More news') && m.to === 'member@example.org'));
    const studio = (await owner.get('/studio/channels/camille/community')).html;
    assert.match(studio, /gone@example\.net<\/td><td>Bounced \(5\.1\.1\)/);
    assert.match(studio, /grumpy@example\.net<\/td><td>Reported as spam \(abuse\)/);
  });

  it('blocks an e-mail address in the Studio without telling whether an account has it', async () => {
    const db = site.deps.db;
    await owner.get('/studio/channels/camille/community');
    const withAccount = await owner.post('/studio/channels/camille/blocks', { email: 'Member@Example.org' });
    const without = await owner.post('/studio/channels/camille/blocks', { email: 'nobody@example.org' });
    assert.equal(withAccount.res.status, 303);
    assert.equal(without.res.status, 303);
    assert.equal(withAccount.res.headers.get('location'), without.res.headers.get('location'), 'the same answer');
    assert.equal((await owner.post('/studio/channels/camille/blocks', { email: 'not an address' })).res.status, 422);
    const studio = (await owner.get('/studio/channels/camille/community')).html;
    assert.match(studio, /member@example\.org/);
    assert.match(studio, /nobody@example\.org/);

    assert.equal((await db.query<{ status: string }>(`SELECT status FROM community_followers WHERE user_id = (SELECT id FROM users WHERE email = 'member@example.org')`))[0]!.status, 'unsubscribed');
    await member.get('/c/camille');
    assert.equal((await member.post('/c/camille/follow', {})).res.status, 403);
    // An e-mail follow of a blocked address gets the usual answer and nothing is recorded or sent.
    const anonymous = new TestClient(site.app, { 'accept-language': 'en' });
    await anonymous.get('/c/camille');
    const follow = await anonymous.post('/c/camille/follow/email', { email: 'nobody@example.org', consent: 'on' });
    assert.equal(follow.res.status, 200);
    assert.equal((await db.query(`SELECT 1 FROM community_followers WHERE email = 'nobody@example.org'`)).length, 0);
    assert.equal(sent.filter((m) => m.to === 'nobody@example.org').length, 0);
  });
});
