import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { pino } from 'pino';
import { TestClient } from '../../../../test/support/client.js';
import type { AppEnv } from '../../../core/http/context.js';
import { cookiePolicy } from '../../../core/http/cookies.js';
import { csrfProtection } from '../../../core/http/csrf.js';
import { createErrorHandler, notFoundHandler } from '../../../core/http/error-handler.js';
import { localeMiddleware } from '../../../core/http/locale.js';
import { checkoutInput, createTestBankFixture, type TestBankFixture } from '../../../../test/support/funding/test-bank.js';
import { testCheckoutRoutes } from './routes.js';

const PUBLIC_URL = 'https://videos.example.org';

/** The pages behind the site's real core middleware (locale, CSRF, error handler), as app.ts mounts them. */
function siteWith(bank: TestBankFixture) {
  const app = new Hono<AppEnv>();
  const cookies = cookiePolicy(PUBLIC_URL);
  const onError = createErrorHandler({ log: pino({ level: 'silent' }), defaultLocale: 'en', maxBodyBytes: 1 << 20 });
  app.use('*', createMiddleware<AppEnv>(async (c, next) => {
    c.set('user', null);
    c.set('site', { name: 'Camille' });
    await next();
  }));
  app.use('*', localeMiddleware(cookies, 'en'));
  app.use('*', csrfProtection({ secret: 'x'.repeat(32), cookies, publicUrl: PUBLIC_URL }));
  app.route('/pay/test', testCheckoutRoutes({ provider: bank.provider }));
  app.onError(onError);
  app.notFound(notFoundHandler(onError));
  return app;
}

async function openCheckout(overrides = {}) {
  const bank = createTestBankFixture();
  const session = await bank.provider.createCheckout(checkoutInput(overrides));
  const path = new URL(session.redirectUrl).pathname;
  const client = new TestClient(siteWith(bank));
  return { bank, session, path, client };
}

describe('test bank payment pages', () => {
  it('shows the amount, the test-mode banner and a card form carrying the CSRF field', async () => {
    const { path, client } = await openCheckout({ amount: 1234 });
    const { res, html } = await client.get(path);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(html, /€12\.34/);
    assert.match(html, /Test mode: no real money moves/);
    assert.match(html, /name="_csrf" value="[^"]+"/);
    assert.match(html, /autocomplete="cc-number"/);
    assert.match(html, /<label for="field-number">Card number<\/label>/);
  });

  it('speaks French to a French browser', async () => {
    const { path, client } = await openCheckout({ amount: 1234 });
    const { html } = await client.get(path, { 'accept-language': 'fr-FR' });
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /Numéro de carte/);
    assert.match(html, /12,34\s€/);
  });

  it('pays with 4242 and redirects the fan to the success URL', async () => {
    const { path, client, session, bank } = await openCheckout();
    await client.get(path);
    const { res } = await client.post(path, { number: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `https://videos.example.org/support/thanks?session=${session.providerRef}`);
    assert.equal(bank.webhooks.deliveries.length, 1);
    const { html } = await client.get(path);
    assert.match(html, /This payment is complete/);
  });

  it('refuses a payment posted without the CSRF token', async () => {
    const { path, client, bank } = await openCheckout();
    await client.get(path);
    const { res } = await client.post(path, { number: '4242424242424242', expiry: '12/34', cvc: '123' }, { csrf: false });
    assert.equal(res.status, 403);
    assert.equal(bank.webhooks.deliveries.length, 0);
  });

  it('shows a decline and the form again, without the card number', async () => {
    const { path, client } = await openCheckout();
    await client.get(path);
    const { res, html } = await client.post(path, { number: '4000000000000002', expiry: '12/34', cvc: '123' });
    assert.equal(res.status, 402);
    assert.match(html, /Your card was declined/);
    assert.doesNotMatch(html, /4000000000000002/);
    assert.match(html, /value="12\/34"/);
  });

  it('marks each invalid field for screen readers', async () => {
    const { path, client } = await openCheckout();
    await client.get(path);
    const { res, html } = await client.post(path, { number: '1234', expiry: 'soon', cvc: '' });
    assert.equal(res.status, 422);
    assert.match(html, /id="field-number"[^>]*aria-invalid="true"[^>]*aria-describedby="field-number-error"/);
    assert.match(html, /Enter a valid card number\./);
    assert.match(html, /as MM\/YY/);
  });

  it('walks 3155 through the Authenticate step', async () => {
    const { path, client, bank } = await openCheckout();
    await client.get(path);
    const { res } = await client.post(path, { number: '4000002500003155', expiry: '12/34', cvc: '123' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${path}/authenticate`);
    const page = await client.get(`${path}/authenticate`);
    assert.match(page.html, /card ending in 3155/);
    assert.match(page.html, /name="_csrf"/);
    assert.ok(page.html.includes(`<form method="post" action="${path}/authenticate"`), 'the buttons post to the Authenticate step');
    const done = await client.post(`${path}/authenticate`, { outcome: 'complete' });
    assert.equal(done.res.status, 303);
    assert.match(done.res.headers.get('location')!, /^https:\/\/videos\.example\.org\/support\/thanks/);
    assert.equal(bank.webhooks.deliveries.length, 1);
  });

  it('sends the fan back to the form when authentication fails', async () => {
    const { path, client } = await openCheckout();
    await client.get(path);
    await client.post(path, { number: '4000002500003155', expiry: '12/34', cvc: '123' });
    const { res, html } = await client.post(`${path}/authenticate`, { outcome: 'fail' });
    assert.equal(res.status, 402);
    assert.match(html, /The authentication failed/);
  });

  it('answers 404 for an unknown or malformed checkout id', async () => {
    const { client } = await openCheckout();
    assert.equal((await client.get('/pay/test/cs_test_AAAAAAAAAAAAAAAAAAAAAAAA')).res.status, 404);
    assert.equal((await client.get('/pay/test/%3Cscript%3E')).res.status, 404);
  });

  it('shows an expired checkout as gone', async () => {
    const { path, client, bank } = await openCheckout();
    bank.clock.advance(25 * 60 * 60 * 1000);
    const { res, html } = await client.get(path);
    assert.equal(res.status, 410);
    assert.match(html, /This payment page has expired/);
  });
});

// Its words are funding/payments' catalog, checked with every capability's in test/messages.test.ts.
