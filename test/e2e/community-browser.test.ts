import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { videosConfig } from '../../src/videos/config.js';
import { resolveBinaries } from '../../src/videos/transcode/binaries.js';
import { startRemoteServer, type RemoteServer } from '../fakes/fediverse-server.js';
import { openBrowser, requireChromium, screenshot as saveScreenshot, type Browser } from '../support/browser.js';
import type { TestClient } from '../support/client.js';
import { eventually, FEDERATION_ENV, followerCount, setUpSite, type Session } from '../support/federation.js';
import { latestMagicToken } from '../support/harness.js';
import { makeTestSource } from '../support/media.js';
import { startServer, type RunningServer } from '../support/server.js';
import { tusUpload } from '../support/tus.js';

const PASSWORD = 'correct horse battery';
const screenshot = (page: Page, name: string) => saveScreenshot(page, `community-${name}`);

/** The e-mails site `server` wrote to its outbox for `to`, oldest first, decoded (soft breaks, folded headers). */
function mailsTo(server: RunningServer, to: string): string[] {
  const dir = path.join(server.dataDir, 'outbox');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return files
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .filter((m) => m.includes(`To: ${to}`))
    .map((m) => m.replace(/=\r?\n/g, '').replace(/=3D/g, '=').replace(/\r?\n[ \t]+/g, ' '));
}

async function logIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#field-email', email);
  await page.fill('#field-password', PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL(`${base}/`);
}

describe('a creator’s community in Chromium: follows from three places, one thread, members-only post', { timeout: 900_000 }, () => {
  let a: RunningServer;
  let b: RunningServer;
  let remote: RemoteServer;
  let alice: Session;
  let owner: Browser;
  let fan: Browser;
  let reader: Browser;
  let bob: Browser;
  let work: string;
  let shortId = '';

  before(async () => {
    requireChromium();
    work = mkdtempSync(path.join(tmpdir(), 'fanfare-community-'));
    a = await startServer({ env: FEDERATION_ENV });
    b = await startServer({ env: FEDERATION_ENV });
    remote = await startRemoteServer();
    [alice] = await Promise.all([setUpSite(a, 'camille', 'Camille'), setUpSite(b, 'bob', 'Bob')]);
    [owner, fan, reader, bob] = await Promise.all([openBrowser(), openBrowser(), openBrowser(), openBrowser()]);
  });
  after(async () => {
    for (const browser of [owner, fan, reader, bob]) await browser?.close().catch(() => {});
    await Promise.all([a?.close(), b?.close(), remote?.close()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('lets a fan follow by e-mail alone, after confirming the link e-mailed to them', { timeout: 120_000 }, async () => {
    const { page } = reader;
    await page.goto(`${a.url}/c/camille`);
    await page.fill('#field-email', 'reader@example.org');
    await page.getByLabel(/I agree to receive e-mails/).check();
    await page.getByRole('button', { name: 'Follow by e-mail', exact: true }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    const mail = await eventually('the confirmation e-mail', async () => mailsTo(a, 'reader@example.org').at(-1));
    const confirm = /https?:\/\/\S+\/follow\/confirm\/[A-Za-z0-9._-]+/.exec(mail)![0];
    await page.goto(confirm);
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByText('Confirmed: you follow this channel by e-mail.').waitFor();
    await screenshot(page, 'confirmed');
  });

  // Skipped, known regression: passed on the community branch, fails since the merge with the federation
  // rewrite (Fedify 2, WebFinger answering actors only): the handle of a fan account on the second site no
  // longer resolves, so no "Continue on <host>" link appears. Issue 17's note says what to fix.
  it('lets someone on a second Fanfare instance follow by typing their handle', { timeout: 120_000 }, async () => {
    const { page } = bob;
    await logIn(page, b.url, 'bob@example.org');
    await page.goto(`${a.url}/c/camille`);
    await page.fill('#field-handle', `@bob@${new URL(b.url).host}`);
    await page.getByRole('button', { name: 'Follow from my instance', exact: true }).click();
    await page.getByRole('link', { name: `Continue on ${new URL(b.url).host}` }).click();
    // Both test sites live on 127.0.0.1, so their session cookies collide: B asks Bob to log in again,
    // and its login page brings him back to the follow page.
    await page.waitForURL(new RegExp(`^${b.url}/(login\\?back=|authorize_interaction)`));
    if (page.url().includes('/login')) {
      await page.fill('#field-email', 'bob@example.org');
      await page.fill('#field-password', PASSWORD);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
    }
    await page.waitForURL(new RegExp(`^${b.url}/authorize_interaction\\?uri=`)).catch(async (error: unknown) => {
      throw new Error(`not sent to B's follow page (at ${page.url()}): ${String(error)}\n${(await page.content()).slice(0, 3000)}`);
    });
    await screenshot(page, 'authorize-interaction');
    await page.getByRole('button', { name: /Follow as Bob/ }).click();
    await page.waitForURL(`${b.url}/studio/channels/bob/fediverse`);
    await eventually('A to record B’s channel as a follower', async () => (await followerCount(a, 'camille')) === 1);
  });

  it('shows a member’s comment and a fediverse reply in one thread once the creator approves both', { timeout: 420_000 }, async () => {
    // The creator: a tier, a public video, comments held for approval.
    await logIn(owner.page, a.url, 'camille@example.org');
    await owner.page.goto(`${a.url}/studio/channels/camille/tiers`);
    await owner.page.fill('#field-name', 'Supporter');
    await owner.page.fill('#field-monthly_price', '3,00');
    await owner.page.getByRole('button', { name: 'Add the tier', exact: true }).click();
    await owner.page.waitForURL(/\/tiers\?notice=tier_created$/);
    const clip = readFileSync(await makeTestSource(resolveBinaries(videosConfig.parse(process.env)).ffmpeg, work, 'clip.mp4', { seconds: 2, width: 320, height: 180 }));
    await alice.page('/studio/channels/camille/upload');
    const upload = await tusUpload(alice as unknown as TestClient, clip, { filename: 'clip.mp4', filetype: 'video/mp4', channel: 'camille' });
    assert.equal(upload.status, 200, await upload.clone().text());
    const videoId = ((await upload.json()) as { videoId: string }).videoId;
    await eventually('transcoding', async () => ((await (await alice.request(`/studio/videos/${videoId}/status`)).json()) as { status: string }).status === 'ready', 300_000);
    shortId = /\/v\/([A-Za-z0-9_-]{8,16})/.exec(await alice.page(`/studio/videos/${videoId}`))![1]!;
    const saved = await alice.post(`/studio/videos/${videoId}`, { title: 'Our film', description: '', tags: '', language: 'en', licence: 'cc_by', visibility: 'public', publish_at: '', chapters: '' });
    assert.equal(saved.status, 303, await saved.text());
    await owner.page.goto(`${a.url}/studio/channels/camille/community`);
    await owner.page.getByLabel('Anyone, after my approval').check();
    await owner.page.getByRole('button', { name: 'Save' }).click();
    await owner.page.waitForURL(/notice=settings_saved/);

    // The fan signs up, joins the tier through the test bank, and comments.
    const { page } = fan;
    await page.goto(`${a.url}/signup`);
    await page.fill('#field-display_name', 'Sacha');
    await page.fill('#field-email', 'sacha@example.org');
    await page.fill('#field-password', PASSWORD);
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.waitForURL(/\/login\/sent$/);
    await page.goto(`${a.url}/auth/magic?token=${latestMagicToken(path.join(a.dataDir, 'outbox'), 'sacha@example.org')}`);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.waitForURL(/\/\?notice=logged_in$/);
    await page.goto(`${a.url}/c/camille/membership`);
    const tier = page.locator('li.tier', { has: page.getByRole('heading', { name: 'Supporter' }) });
    await tier.getByLabel('Monthly').check();
    await tier.getByRole('button', { name: 'Join “Supporter”', exact: true }).click();
    await page.waitForURL(/\/pay\/test\/cs_test_[\w-]+(#\w+)?$/);
    await page.fill('#field-number', '4242 4242 4242 4242');
    await page.fill('#field-expiry', '12/34');
    await page.fill('#field-cvc', '123');
    await page.getByRole('button', { name: 'Pay €3.00', exact: true }).click();
    await page.waitForURL(/\/memberships\/[0-9a-f-]+\/welcome$/, { timeout: 60_000 });
    await page.getByText('You are a member.').waitFor({ timeout: 60_000 });

    await page.goto(`${a.url}/v/${shortId}`);
    await page.fill('#field-body', 'What a *lovely* film');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.getByText('Your comment will appear once the creator approves it', { exact: false }).waitFor();

    // A reply from the fediverse arrives at A's inbox, signed by its author.
    const zoe = await remote.addActor('zoe');
    const text = readFileSync(new URL('../support/fixtures/federation/mastodon-create-note-reply.json', import.meta.url), 'utf8')
      .replaceAll('{{ACTOR}}', zoe.uri).replaceAll('{{ACTOR_URL}}', zoe.uri).replaceAll('{{OBJECT}}', `${a.url}/ap/videos/${shortId}`).replaceAll('{{SITE}}', a.url);
    const delivered = await fetch(await zoe.signedPost(`${a.url}/ap/inbox`, JSON.parse(text)));
    assert.equal(delivered.status, 202, await delivered.text());

    // The creator approves both on the one moderation page.
    await owner.page.goto(`${a.url}/studio/channels/camille/moderation`);
    await eventually('the fediverse reply to be held', async () => {
      await owner.page.reload();
      return (await owner.page.content()).includes('Lovely film!');
    });
    await screenshot(owner.page, 'moderation');
    for (let i = 0; i < 2; i++) {
      await owner.page.getByRole('button', { name: 'Approve' }).first().click();
      await owner.page.waitForLoadState();
    }
    await page.goto(`${a.url}/v/${shortId}`);
    const thread = page.locator('section.comments');
    await thread.getByText('lovely', { exact: false }).first().waitFor();
    await thread.getByText('Lovely film!').waitFor();
    await thread.getByText('Member · Supporter').waitFor();
    await thread.getByText(/@zoe@127\.0\.0\.1/).waitFor();
    await screenshot(page, 'thread');
  });

  it('e-mails a members-only post to the members only, and unsubscribes in one click', { timeout: 180_000 }, async () => {
    const sendPost = async (title: string) => {
      await owner.page.goto(`${a.url}/studio/channels/camille/community`);
      await owner.page.fill('#field-title', title);
      await owner.page.fill('#field-body', `**${title}** for members.`);
      await owner.page.getByLabel(/Members only \(of the tiers ticked/).check();
      await owner.page.getByLabel('Supporter').check();
      await owner.page.getByRole('button', { name: 'Publish and send', exact: true }).click();
      await owner.page.waitForURL(/notice=post_published/);
    };
    await sendPost('Backstage notes');
    const toFan = await eventually('the post e-mailed to the member', async () => mailsTo(a, 'sacha@example.org').find((m) => m.includes('Backstage notes')));
    assert.match(toFan, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    assert.match(toFan, /Content-Type: text\/html/);
    // The e-mail follower (not a member) and the creator get nothing.
    await eventually('the mailing to finish', async () => (await owner.page.goto(`${a.url}/studio/channels/camille/community`), (await owner.page.content()).includes('1 sent, 0 to send')));
    assert.equal(mailsTo(a, 'reader@example.org').filter((m) => m.includes('Backstage notes')).length, 0);
    assert.equal(mailsTo(a, 'camille@example.org').filter((m) => m.includes('Backstage notes')).length, 0);

    // One click, as a mail client does it (RFC 8058): a POST to the List-Unsubscribe address.
    const unsubscribe = /List-Unsubscribe: <(https?:\/\/[^>]+)>/.exec(toFan)![1]!;
    const oneClick = await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(oneClick.status, 200);
    await sendPost('Second notes');
    await eventually('the second mailing to finish', async () => (await owner.page.goto(`${a.url}/studio/channels/camille/community`), (await owner.page.content()).includes('0 sent, 0 to send')));
    assert.equal(mailsTo(a, 'sacha@example.org').filter((m) => m.includes('Second notes')).length, 0, 'unsubscribed');

    // The e-mail follower got the new video, and leaves with the link of that e-mail.
    const videoMail = await eventually('the new video e-mailed to the e-mail follower', async () => mailsTo(a, 'reader@example.org').find((m) => m.includes('Our film')));
    const link = /List-Unsubscribe: <(https?:\/\/[^>]+)>/.exec(videoMail)![1]!;
    await reader.page.goto(link);
    await reader.page.getByRole('button', { name: 'Unsubscribe', exact: true }).click();
    await reader.page.getByText('Done: you will receive no more e-mails from this channel.').waitFor();
    await screenshot(reader.page, 'unsubscribed');
  });

  it('lets the creator edit a post without e-mailing it again, and remove a comment a fan reported', { timeout: 180_000 }, async () => {
    const mailsBefore = mailsTo(a, 'sacha@example.org').length + mailsTo(a, 'reader@example.org').length;
    await owner.page.goto(`${a.url}/studio/channels/camille/community`);
    await owner.page.locator('tr', { hasText: 'Backstage notes' }).getByRole('link', { name: 'Edit', exact: true }).click();
    await owner.page.fill('#field-title', 'Backstage notes, revised');
    await owner.page.getByRole('button', { name: 'Save', exact: true }).click();
    await owner.page.waitForURL(/notice=post_saved/);
    await owner.page.getByText('Backstage notes, revised').first().waitFor();

    // The creator answers under the video; the fan reports the answer with a reason.
    await owner.page.goto(`${a.url}/v/${shortId}`);
    await owner.page.fill('#field-body', 'Off-topic answer');
    await owner.page.getByRole('button', { name: 'Comment', exact: true }).click();
    await owner.page.waitForURL(/notice=comment_posted/);
    const { page } = fan;
    await page.goto(`${a.url}/v/${shortId}`);
    const answer = page.locator('li.comment', { hasText: 'Off-topic answer' });
    await answer.getByText('Report', { exact: true }).click();
    await answer.getByLabel('Why?').fill('off topic');
    await answer.getByRole('button', { name: 'Send the report', exact: true }).click();
    await page.getByText('Thank you: the channel’s team will look at it.').waitFor();

    await owner.page.goto(`${a.url}/studio/channels/camille/moderation`);
    const reported = owner.page.locator('li', { hasText: '“off topic”' });
    await reported.getByRole('button', { name: 'Reject', exact: true }).click();
    await owner.page.waitForURL(/notice=saved/);
    await page.goto(`${a.url}/v/${shortId}`);
    await page.locator('section.comments').getByText('What a', { exact: false }).first().waitFor();
    assert.equal(await page.locator('section.comments').getByText('Off-topic answer').count(), 0, 'the reported comment is removed');
    assert.equal(mailsTo(a, 'sacha@example.org').length + mailsTo(a, 'reader@example.org').length, mailsBefore, 'an edit e-mails nobody');
  });
});
