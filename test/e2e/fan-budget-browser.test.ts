import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { insertChannelWithAdmin } from '../../src/channels/index.js';
import { openDb } from '../../src/core/db/index.js';
import { planPayment } from '../../src/funding/ledger/index.js';
import { formatMoney, money } from '../../src/funding/money.js';
import { DEFAULT_FEES, processingFee } from '../../src/funding/providers/test-provider/fees.js';
import { splitAmongItems } from '../../src/funding/fan-budget/split.js';
import { monthEnd, monthOf } from '../../src/funding/fan-budget/index.js';
import { mailText } from '../support/fan-budget/site.js';
import { latestMagicToken } from '../support/harness.js';
import { openBrowser, requireChromium, setUpSiteInBrowser, type Browser } from '../support/browser.js';
import { createServerData, REPO_ROOT, startServer, type RunningServer, type ServerData } from '../support/server.js';

const run = promisify(execFile);
const OWNER = { name: 'Camille', email: 'camille@example.org', password: 'correct horse battery', handle: 'camille' };
const ENV = { SITE_TIMEZONE: 'UTC' };
// The test bank's webhooks go through the job queue (polled every second): a margin for a busy machine.
const CONFIRM_TIMEOUT_MS = 60_000;

/** Signs a fan up in the browser through the magic link. */
async function signUp(page: Page, server: RunningServer, name: string, email: string): Promise<void> {
  await page.goto(`${server.url}/signup`);
  await page.fill('#field-display_name', name);
  await page.fill('#field-email', email);
  await page.fill('#field-password', 'a long fan password');
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.waitForURL(/\/login\/sent$/);
  await page.goto(`${server.url}/auth/magic?token=${latestMagicToken(path.join(server.dataDir, 'outbox'), email)}`);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.waitForURL(/\/\?notice=logged_in$/);
}

/** Chooses €5 on the budget page and saves `card` on the test bank's setup page; waits until the budget is active. */
async function setFiveEuroBudget(page: Page, server: RunningServer, card: string): Promise<void> {
  await page.goto(`${server.url}/account/budget`);
  await page.getByLabel('€5.00').check();
  await page.getByRole('button', { name: 'Save my budget' }).click();
  await page.waitForURL(/\/pay\/test\/cs_test_[\w-]+$/);
  await page.getByText('Nothing is charged now').waitFor();
  await page.fill('#field-number', card);
  await page.fill('#field-expiry', '12/34');
  await page.fill('#field-cvc', '123');
  await page.getByRole('button', { name: 'Save card' }).click();
  await page.waitForURL(/\/account\/budget\?notice=budget_saved$/);
  const deadline = Date.now() + CONFIRM_TIMEOUT_MS;
  while (!(await page.locator('#budget-status').textContent())?.includes('Active')) {
    if (Date.now() > deadline) throw new Error('the saved card never made the budget active');
    await page.waitForTimeout(500);
    await page.reload();
  }
}

async function support(page: Page, server: RunningServer, shortId: string): Promise<void> {
  await page.goto(`${server.url}/v/${shortId}`);
  await page.locator('.fan-budget-support').getByRole('button', { name: 'Support', exact: true }).click();
  await page.locator('.fan-budget-support').getByRole('button', { name: 'Supported this month — undo' }).waitFor();
}

describe('a fan gives €5 a month in Chromium, the month is closed by the CLI, and both creators see their exact shares', () => {
  let data: ServerData;
  let server: RunningServer;
  let owner: Browser;
  let fan: Browser;
  let declined: Browser;
  const month = monthOf(new Date(), 'UTC');
  const closedAt = monthEnd(month, 'UTC').toISOString();

  before(async () => {
    requireChromium();
    data = await createServerData();
    server = await startServer({ data, env: ENV });
    owner = await openBrowser();
    fan = await openBrowser();
    declined = await openBrowser();
    await setUpSiteInBrowser(owner.page, server.url, OWNER);
    // A second creator and three ready videos, written while the server is stopped (the embedded database has one process at a time).
    await server.stop();
    const db = await openDb({ databaseUrl: data.databaseUrl, dataDir: data.dataDir });
    const [camille] = await db.query<{ id: string; owner: string }>(`SELECT c.id, r.user_id AS owner FROM channels c JOIN channel_roles r ON r.channel_id = c.id WHERE c.handle = 'camille'`);
    const noe = await insertChannelWithAdmin(db, { handle: 'noe', name: 'Noé joue', description: '', language: 'fr' }, null, camille!.owner);
    for (const [shortId, channelId] of [['CamilleV01', camille!.id], ['CamilleV02', camille!.id], ['NoeVideo01', noe.id]] as const) {
      await db.query(`INSERT INTO videos (short_id, channel_id, title, status, visibility, hls_prefix, duration_seconds) VALUES ($1, $2, $3, 'ready', 'public', $4, 10)`, [shortId, channelId, `Video ${shortId}`, `videos/${shortId}/hls`]);
    }
    await db.close();
    server = await startServer({ data, env: ENV });
  });

  after(async () => {
    for (const b of [owner, fan, declined]) await b?.close().catch(() => {});
    await server?.close();
    await data?.remove();
  });

  it('sets €5 with a saved card, supports three videos of two creators, one of them twice (counted once)', { timeout: 180_000 }, async () => {
    const { page } = fan;
    await signUp(page, server, 'Sacha', 'sacha@example.org');
    await setFiveEuroBudget(page, server, '4242 4242 4242 4242');
    await page.goto(`${server.url}/v/CamilleV01`);
    const form = page.locator('.fan-budget-support form');
    const fields = await form.evaluate((f: HTMLFormElement) => new URLSearchParams(new FormData(f) as unknown as Record<string, string>).toString());
    await support(page, server, 'CamilleV01');
    // The same Support form submitted a second time (a double click, a stale tab): still one click.
    const again = await page.evaluate(async ([url, body]) => (await fetch(url!, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' })).type, [`${server.url}/v/CamilleV01/support`, fields]);
    assert.equal(again, 'opaqueredirect');
    await support(page, server, 'CamilleV02');
    await support(page, server, 'NoeVideo01');
    await page.goto(`${server.url}/account/budget`);
    assert.match((await page.locator('#budget-preview').textContent()) ?? '', /^3 items supported — about €1\.\d\d each after fees\.$/);
  });

  it('a fan whose card is declined off-session supports a video too', { timeout: 180_000 }, async () => {
    await signUp(declined.page, server, 'Dom', 'dom@example.org');
    await setFiveEuroBudget(declined.page, server, '4000 0000 0000 0341');
    await support(declined.page, server, 'NoeVideo01');
  });

  it('closes the month with `fanfare settle` on a manual clock, charges once, e-mails the fan', { timeout: 180_000 }, async () => {
    await server.stop();
    const env = { ...process.env, ...ENV, DATA_DIR: data.dataDir, PUBLIC_URL: server.url, LOG_LEVEL: 'silent', ...(data.databaseUrl ? { DATABASE_URL: data.databaseUrl } : {}) };
    if (!data.databaseUrl) delete env.DATABASE_URL;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'settle', '--month', month, '--now', closedAt], { cwd: REPO_ROOT, env });
    assert.match(stdout, new RegExp(`Fan budget ${month}: 2 fans to charge — 1 paid, 0 pending, 1 retrying, 0 unpaid`));
    assert.match(stdout, /Ledger self-check: ok/);
    const outbox = path.join(data.dataDir, 'outbox');
    const mails = readdirSync(outbox).map((f) => mailText(readFileSync(path.join(outbox, f), 'utf8')));
    const monthMail = mails.find((m) => m.includes('To: sacha@example.org') && m.includes(`Your fan budget for ${month}`));
    assert.ok(monthMail, 'the month e-mail');
    assert.match(monthMail!, /shared among 3 items of 2 creators/);
    assert.ok(mails.some((m) => m.includes('To: dom@example.org') && m.includes('payment failed')));
    server = await startServer({ data, env: ENV });
  });

  it('shows both creators the exact shares by video; the declined card credited nothing', { timeout: 120_000 }, async () => {
    const fee = processingFee(500, DEFAULT_FEES.EUR!);
    // Where the €5 went, computed independently: the test bank's fee, then 2 clicks on camille and 1 on noe
    // (the remainders differ, so channel ids' order cannot change the result), no platform fee.
    const shares = [{ channelId: 'camille', weight: 2 }, { channelId: 'noe', weight: 1 }];
    const parts = planPayment({ gross: money(500, 'EUR'), processorFee: money(fee, 'EUR'), platformFeeBps: 0, shares });
    const byHandle = new Map(parts.map((p) => [p.channelId, p]));
    const eur = (n: number) => formatMoney(money(n, 'EUR'), 'en');
    const camille = byHandle.get('camille')!;
    const [v1, v2] = splitAmongItems(camille.net.amount, [1, 2]);
    const { page } = owner;
    await page.goto(`${server.url}/studio/channels/camille/fan-budget`);
    const rows = await page.locator('#fan-budget-income tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    // Which of the two videos gets the odd cent follows the items' order (channel id, video id: random
    // uuids here), so the amounts are compared as a set.
    assert.deepEqual(rows.map((r) => r[1]).sort(), ['Video CamilleV01', 'Video CamilleV02']);
    assert.deepEqual(rows.map((r) => r[3]).sort(), [eur(v1!), eur(v2!)].sort());
    await page.goto(`${server.url}/studio/channels/noe/fan-budget`);
    const noeRows = await page.locator('#fan-budget-income tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(noeRows.map((r) => [r[1], r[3]]), [['Video NoeVideo01', eur(byHandle.get('noe')!.net.amount)]], 'only the paid fan’s share: the declined card credited nothing');
  });
});

