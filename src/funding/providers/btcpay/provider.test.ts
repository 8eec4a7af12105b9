import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProviderError, UnsupportedOperationError, WebhookSignatureError } from '../errors.js';
import { startFakeBtcpay, type FakeBtcpay } from '../../../../test/fakes/btcpay-server.js';
import { checkoutInput } from '../../../../test/support/funding/test-bank.js';
import type { ChargeSavedInput, PaymentProvider } from '../types.js';
import { createBtcpayProvider } from './provider.js';

let fake: FakeBtcpay;
let btcpay: PaymentProvider;

before(async () => {
  fake = await startFakeBtcpay();
  btcpay = createBtcpayProvider({ url: fake.url, apiKey: fake.apiKey, storeId: fake.storeId, webhookSecret: fake.webhookSecret });
});
after(() => fake.close());

const lastInvoicePost = () => fake.requests.filter((r) => r.method === 'POST').at(-1)!;
const refusedFor = (reason: string) => (e: unknown) => e instanceof WebhookSignatureError && e.provider === 'btcpay' && e.reason === reason;

describe('BTCPay invoices', () => {
  it('creates an invoice priced in fiat with the amount as an exact decimal string', async () => {
    const session = await btcpay.createCheckout(checkoutInput({ amount: 1005, idempotencyKey: 'tip-1', customerEmail: 'fan@example.org' }));
    const request = lastInvoicePost();
    assert.equal(request.path, `/api/v1/stores/${fake.storeId}/invoices`);
    assert.equal(request.headers['authorization'], `token ${fake.apiKey}`);
    const body = JSON.parse(request.body);
    assert.equal(body.amount, '10.05');
    assert.equal(body.currency, 'EUR');
    assert.equal(body.metadata.orderId, 'tip-1');
    assert.equal(body.metadata.buyerEmail, 'fan@example.org');
    assert.deepEqual(body.metadata.fanfare, { paymentId: 'pay_1' });
    assert.equal(body.checkout.redirectURL, 'https://videos.example.org/support/thanks?session={InvoiceId}');
    assert.equal(body.checkout.expirationMinutes, 30);
    assert.equal(session.redirectUrl, `${fake.url}/i/${session.providerRef}`);
    assert.ok(session.expiresAt instanceof Date);
  });

  it('writes zero-decimal and three-decimal currencies exactly', async () => {
    await btcpay.createCheckout(checkoutInput({ amount: 500, currency: 'JPY' }));
    assert.equal(JSON.parse(lastInvoicePost().body).amount, '500');
    await btcpay.createCheckout(checkoutInput({ amount: 1005, currency: 'KWD' }));
    assert.equal(JSON.parse(lastInvoicePost().body).amount, '1.005');
  });

  it('returns the same invoice for a retried idempotency key instead of creating another', async () => {
    const input = checkoutInput({ idempotencyKey: 'tip-retry' });
    const first = await btcpay.createCheckout(input);
    const posts = fake.requests.filter((r) => r.method === 'POST').length;
    const again = await btcpay.createCheckout({ ...input, metadata: { ...input.metadata } });
    assert.equal(again.providerRef, first.providerRef);
    assert.equal(fake.requests.filter((r) => r.method === 'POST').length, posts);
    await assert.rejects(btcpay.createCheckout({ ...input, amount: 9999 }), (e) => e instanceof ProviderError && e.code === 'idempotency_key_reused');
  });

  it('refuses to save a payment method, charge one, or refund, with a typed error', async () => {
    await assert.rejects(btcpay.createCheckout(checkoutInput({ savePaymentMethod: true })), (e) => e instanceof UnsupportedOperationError && e.operation === 'savePaymentMethod');
    const charge: ChargeSavedInput = { customerRef: 'c', paymentMethodRef: 'p', amount: 500, currency: 'EUR', idempotencyKey: 'k', metadata: {} };
    await assert.rejects(btcpay.chargeSaved(charge), (e) => e instanceof UnsupportedOperationError && e.operation === 'chargeSaved' && e.code === 'not_supported');
    await assert.rejects(btcpay.refund({ providerRef: 'x', idempotencyKey: 'k' }), (e) => e instanceof UnsupportedOperationError && e.operation === 'refund' && /BTCPay Server/.test(e.message));
    assert.deepEqual(btcpay.capabilities, { savedPaymentMethods: false, refunds: false, setupWithoutCharge: false });
  });

  it('reports a wrong API key as authentication_failed, and a server down as retryable', async () => {
    const wrong = createBtcpayProvider({ url: fake.url, apiKey: 'nope', storeId: fake.storeId, webhookSecret: 'x' });
    await assert.rejects(wrong.createCheckout(checkoutInput()), (e) => e instanceof ProviderError && e.code === 'authentication_failed' && e.statusCode === 401);
    const down = createBtcpayProvider({ url: 'http://127.0.0.1:9', apiKey: 'k', storeId: 's', webhookSecret: 'x' });
    await assert.rejects(down.createCheckout(checkoutInput()), (e) => e instanceof ProviderError && e.code === 'unavailable' && e.retryable);
  });
});

describe('BTCPay webhooks', () => {
  async function invoice(amount = 1234) {
    return (await btcpay.createCheckout(checkoutInput({ amount }))).providerRef;
  }

  it('maps InvoiceSettled to payment.succeeded for the invoice amount, with no fee', async () => {
    const id = await invoice(1234);
    fake.setStatus(id, 'Settled');
    const hook = fake.webhook('InvoiceSettled', id);
    const [event] = await btcpay.verifyWebhook(hook.body, new Headers(hook.headers));
    assert.deepEqual(
      { type: event?.type, providerRef: event?.providerRef, checkoutRef: event?.checkoutRef, amount: event?.amount, currency: event?.currency, fee: event?.fee, eventId: event?.eventId },
      { type: 'payment.succeeded', providerRef: id, checkoutRef: id, amount: 1234, currency: 'EUR', fee: 0, eventId: hook.deliveryId },
    );
    assert.deepEqual(event?.metadata, { paymentId: 'pay_1' });
  });

  it('maps InvoiceExpired to invoice.expired and InvoiceInvalid to payment.failed', async () => {
    const id = await invoice();
    const expired = fake.webhook('InvoiceExpired', id, { extra: { partiallyPaid: true } });
    const [e1] = await btcpay.verifyWebhook(expired.body, new Headers(expired.headers));
    assert.deepEqual([e1?.type, e1?.declineCode], ['invoice.expired', 'partially_paid']);
    const invalid = fake.webhook('InvoiceInvalid', id);
    assert.equal((await btcpay.verifyWebhook(invalid.body, new Headers(invalid.headers)))[0]?.type, 'payment.failed');
  });

  it('ignores invoice events Fanfare does not act on', async () => {
    const id = await invoice();
    for (const type of ['InvoiceCreated', 'InvoiceReceivedPayment', 'InvoiceProcessing', 'InvoicePaymentSettled']) {
      const hook = fake.webhook(type, id);
      assert.deepEqual(await btcpay.verifyWebhook(hook.body, new Headers(hook.headers)), [], type);
    }
  });

  it('gives a redelivery the eventId of the original delivery, so it dedupes', async () => {
    const id = await invoice();
    const first = fake.webhook('InvoiceSettled', id);
    const again = fake.webhook('InvoiceSettled', id, { redeliveryOf: first.deliveryId });
    assert.notEqual(again.deliveryId, first.deliveryId);
    const [a] = await btcpay.verifyWebhook(first.body, new Headers(first.headers));
    const [b] = await btcpay.verifyWebhook(again.body, new Headers(again.headers));
    assert.equal(b?.eventId, a?.eventId);
  });

  it('accepts the raw body as bytes', async () => {
    const hook = fake.webhook('InvoiceSettled', await invoice());
    const events = await btcpay.verifyWebhook(new TextEncoder().encode(hook.body), new Headers(hook.headers));
    assert.equal(events.length, 1);
  });

  it('refuses a wrong, missing, malformed or tampered signature', async () => {
    const id = await invoice();
    const wrong = fake.webhook('InvoiceSettled', id, { secret: 'not-the-secret' });
    await assert.rejects(btcpay.verifyWebhook(wrong.body, new Headers(wrong.headers)), refusedFor('mismatch'));
    const good = fake.webhook('InvoiceSettled', id);
    await assert.rejects(btcpay.verifyWebhook(good.body, new Headers({ 'content-type': 'application/json' })), refusedFor('missing'));
    await assert.rejects(btcpay.verifyWebhook(good.body, new Headers({ 'btcpay-sig': 'md5=abc' })), refusedFor('malformed'));
    const tampered = good.body.replace(id, 'SOMEONEELSE');
    await assert.rejects(btcpay.verifyWebhook(tampered, new Headers(good.headers)), refusedFor('mismatch'));
  });

  it('ignores a correctly signed webhook about another store', async () => {
    const hook = fake.webhook('InvoiceSettled', await invoice(), { extra: { storeId: 'OTHER' } });
    assert.deepEqual(await btcpay.verifyWebhook(hook.body, new Headers(hook.headers)), []);
  });
});
