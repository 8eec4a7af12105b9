import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProviderError } from '../errors.js';
import { startFakeStripe, type FakeStripe } from '../../../../test/fakes/stripe-server.js';
import { parseStripeForm } from '../../../../test/fakes/local-server.js';
import { checkoutInput } from '../../../../test/support/funding/test-bank.js';
import type { ChargeSavedInput, PaymentProvider } from '../types.js';
import { createStripeProvider } from './provider.js';

let fake: FakeStripe;
let stripe: PaymentProvider;

before(async () => {
  fake = await startFakeStripe();
  stripe = createStripeProvider({
    secretKey: fake.apiKey,
    webhookSecret: 'whsec_test',
    api: { host: '127.0.0.1', port: fake.port, protocol: 'http' },
    maxNetworkRetries: 0,
  });
});
after(() => fake.close());

const lastPost = (path: string) => {
  const posts = fake.posts(path);
  const request = posts[posts.length - 1]!;
  return { request, form: parseStripeForm(request.body) as Record<string, any> };
};

const renewal = (overrides: Partial<ChargeSavedInput> = {}): ChargeSavedInput => ({
  customerRef: 'cus_1',
  paymentMethodRef: 'pm_card_visa',
  amount: 500,
  currency: 'EUR',
  idempotencyKey: `job-${Math.random()}`,
  metadata: { membershipId: 'm_1' },
  ...overrides,
});

describe('Stripe checkout', () => {
  it('creates a payment-mode Checkout Session with the amount in minor units and our idempotency key', async () => {
    const input = checkoutInput({ amount: 1234, idempotencyKey: 'checkout-42', customerEmail: 'fan@example.org' });
    const session = await stripe.createCheckout(input);
    assert.match(session.providerRef, /^cs_test_/);
    assert.equal(session.redirectUrl, `https://checkout.stripe.com/c/pay/${session.providerRef}`);
    assert.ok(session.expiresAt instanceof Date);

    const { request, form } = lastPost('/v1/checkout/sessions');
    assert.equal(request.headers['idempotency-key'], 'checkout-42');
    assert.equal(request.headers['authorization'], `Bearer ${fake.apiKey}`);
    assert.equal(form['mode'], 'payment');
    assert.equal(form['line_items']['0']['price_data']['unit_amount'], '1234');
    assert.match(form['line_items']['0']['price_data']['unit_amount'], /^\d+$/, 'an integer on the wire');
    assert.equal(form['line_items']['0']['price_data']['currency'], 'eur');
    assert.equal(form['customer_email'], 'fan@example.org');
    assert.deepEqual(form['metadata'], { paymentId: 'pay_1' });
    assert.deepEqual(form['payment_intent_data']['metadata'], { paymentId: 'pay_1', fanfare_checkout: '1' });
    assert.equal(form['payment_intent_data']['setup_future_usage'], undefined, 'the card is not saved unless asked');
  });

  it('asks Stripe to save the card off-session and create a customer when saving', async () => {
    await stripe.createCheckout(checkoutInput({ savePaymentMethod: true }));
    const { form } = lastPost('/v1/checkout/sessions');
    assert.equal(form['payment_intent_data']['setup_future_usage'], 'off_session');
    assert.equal(form['customer_creation'], 'always');
  });

  it('reuses a known customer instead of creating one', async () => {
    await stripe.createCheckout(checkoutInput({ savePaymentMethod: true, customerRef: 'cus_known', customerEmail: 'fan@example.org' }));
    const { form } = lastPost('/v1/checkout/sessions');
    assert.equal(form['customer'], 'cus_known');
    assert.equal(form['customer_creation'], undefined);
    assert.equal(form['customer_email'], undefined);
  });

  it('gets the same session back when a request is retried with the same key', async () => {
    const input = checkoutInput({ idempotencyKey: 'checkout-retry' });
    const first = await stripe.createCheckout(input);
    const again = await stripe.createCheckout(input);
    assert.equal(again.providerRef, first.providerRef);
  });

  it('turns Stripe refusing a reused key into ProviderError without retrying', async () => {
    await stripe.createCheckout(checkoutInput({ idempotencyKey: 'checkout-reused' }));
    await assert.rejects(stripe.createCheckout(checkoutInput({ idempotencyKey: 'checkout-reused', amount: 9999 })), (e) => {
      return e instanceof ProviderError && e.provider === 'stripe' && e.code === 'idempotency_error' && e.statusCode === 400 && !e.retryable;
    });
  });

  it('refuses a float amount before calling Stripe', async () => {
    const before = fake.requests.length;
    await assert.rejects(stripe.createCheckout(checkoutInput({ amount: 12.5 })), (e) => e instanceof ProviderError && e.code === 'invalid_request');
    assert.equal(fake.requests.length, before);
  });
});

describe('Stripe renewals', () => {
  it('confirms an off-session PaymentIntent and reads the fee from the balance transaction', async () => {
    const result = await stripe.chargeSaved(renewal({ idempotencyKey: 'job-renew-1' }));
    assert.equal(result.status, 'succeeded');
    assert.match(result.providerRef, /^pi_/);
    assert.equal(result.fee, 33);
    const { request, form } = lastPost('/v1/payment_intents');
    assert.equal(request.headers['idempotency-key'], 'job-renew-1');
    assert.equal(form['off_session'], 'true');
    assert.equal(form['confirm'], 'true');
    assert.equal(form['amount'], '500');
    assert.equal(form['customer'], 'cus_1');
    assert.equal(form['payment_method'], 'pm_card_visa');
    assert.deepEqual(form['expand'], { 0: 'latest_charge.balance_transaction' });
  });

  it('answers declined with the decline code when the bank refuses', async () => {
    const result = await stripe.chargeSaved(renewal({ paymentMethodRef: 'pm_card_chargeDeclinedInsufficientFunds' }));
    assert.equal(result.status, 'declined');
    assert.equal(result.declineCode, 'insufficient_funds');
    assert.match(result.providerRef, /^pi_/);
  });

  it('answers requires_action when the bank wants the fan present', async () => {
    const result = await stripe.chargeSaved(renewal({ paymentMethodRef: 'pm_card_authenticationRequired' }));
    assert.equal(result.status, 'requires_action');
    assert.equal(result.declineCode, 'authentication_required');
  });

  it('turns an unknown payment method into a non-retryable ProviderError', async () => {
    await assert.rejects(stripe.chargeSaved(renewal({ paymentMethodRef: 'pm_gone' })), (e) => e instanceof ProviderError && e.code === 'resource_missing' && !e.retryable);
  });

  it('reports a wrong API key as a ProviderError with status 401', async () => {
    const wrong = createStripeProvider({ secretKey: 'sk_test_wrong', webhookSecret: 'whsec_test', api: { host: '127.0.0.1', port: fake.port, protocol: 'http' }, maxNetworkRetries: 0 });
    await assert.rejects(wrong.chargeSaved(renewal()), (e) => e instanceof ProviderError && e.statusCode === 401);
  });

  it('names the account its key belongs to (GET /v1/account), and reports a wrong key as a ProviderError', async () => {
    assert.match(await stripe.accountIdentity!(), /^acct_\w+$/);
    assert.equal(fake.requests.at(-1)?.path, '/v1/account');
    const wrong = createStripeProvider({ secretKey: 'sk_test_wrong', webhookSecret: 'whsec_test', api: { host: '127.0.0.1', port: fake.port, protocol: 'http' }, maxNetworkRetries: 0 });
    await assert.rejects(wrong.accountIdentity!(), (e) => e instanceof ProviderError && e.statusCode === 401);
  });

  it('reports an unreachable API as retryable', async () => {
    const down = createStripeProvider({ secretKey: 'sk_test_x', webhookSecret: 'whsec_test', api: { host: '127.0.0.1', port: 9, protocol: 'http' }, maxNetworkRetries: 0 });
    await assert.rejects(down.chargeSaved(renewal()), (e) => e instanceof ProviderError && e.code === 'unavailable' && e.retryable);
  });
});

describe('Stripe setup mode (save a method, charge nothing)', () => {
  const metadata = { setup: '1', purpose: 'membership', membershipId: 'm_7' };
  const verify = (type: string, object: object) => {
    const { body, headers } = fake.webhook(type, object, 'whsec_test', new Date());
    return stripe.verifyWebhook(body, new Headers(headers));
  };

  it('opens a setup-mode session with a new customer, maps its completion to payment_method.saved, charges it off-session later and detaches it', async () => {
    assert.equal(stripe.capabilities.setupWithoutCharge, true);
    const session = await stripe.createCheckout(checkoutInput({ mode: 'setup', amount: 500, metadata, customerEmail: 'fan@example.org', idempotencyKey: 'setup-1' }));
    const { request, form } = lastPost('/v1/checkout/sessions');
    assert.equal(request.headers['idempotency-key'], 'setup-1');
    assert.equal(form['mode'], 'setup');
    assert.equal(form['currency'], 'eur', 'setup mode needs the currency');
    assert.equal(form['line_items'], undefined, 'nothing to charge');
    assert.equal(form['payment_intent_data'], undefined);
    assert.equal(form['customer_creation'], 'always', 'a customer to attach the method to');
    assert.equal(form['customer_email'], 'fan@example.org');
    assert.deepEqual(form['metadata'], metadata);
    assert.deepEqual(form['setup_intent_data']['metadata'], metadata);

    const done = fake.completeSetup(session.providerRef);
    assert.equal(done.session['payment_status'], 'no_payment_required');
    const events = await verify('checkout.session.completed', done.session);
    assert.equal(events.length, 1);
    const [saved] = events;
    assert.equal(saved!.type, 'payment_method.saved');
    assert.equal(saved!.providerRef, session.providerRef);
    assert.equal(saved!.checkoutRef, session.providerRef);
    assert.equal(saved!.amount, 0, 'nothing charged');
    assert.equal(saved!.currency, 'EUR');
    assert.deepEqual(saved!.metadata, metadata);
    assert.equal(saved!.customerRef, done.setupIntent['customer']);
    assert.equal(saved!.paymentMethodRef, done.paymentMethod['id']);
    assert.equal(fake.paymentIntents.size > 0 && [...fake.paymentIntents.values()].some((pi) => pi['customer'] === saved!.customerRef), false, 'no PaymentIntent for the setup');

    const charged = await stripe.chargeSaved(renewal({ customerRef: saved!.customerRef!, paymentMethodRef: saved!.paymentMethodRef! }));
    assert.equal(charged.status, 'succeeded');
    assert.equal(lastPost('/v1/payment_intents').form['off_session'], 'true');

    await stripe.detachPaymentMethod({ customerRef: saved!.customerRef!, paymentMethodRef: saved!.paymentMethodRef! });
    await stripe.detachPaymentMethod({ customerRef: saved!.customerRef!, paymentMethodRef: saved!.paymentMethodRef! });
    assert.equal(fake.posts(`/v1/payment_methods/${saved!.paymentMethodRef}/detach`).length, 1, 'detaching twice is no error and asks once');
    await assert.rejects(stripe.chargeSaved(renewal({ customerRef: saved!.customerRef!, paymentMethodRef: saved!.paymentMethodRef! })), ProviderError, 'a detached method is never charged');
  });

  it('attaches to a known customer; a setup not succeeded gives no event; never detaches another customer’s method', async () => {
    const session = await stripe.createCheckout(checkoutInput({ mode: 'setup', metadata, customerRef: 'cus_known' }));
    const { form } = lastPost('/v1/checkout/sessions');
    assert.equal(form['customer'], 'cus_known');
    assert.equal(form['customer_creation'], undefined);
    const done = fake.completeSetup(session.providerRef);
    assert.equal(done.setupIntent['customer'], 'cus_known');
    fake.setupIntents.get(done.setupIntent['id'])!['status'] = 'requires_action';
    assert.deepEqual(await verify('checkout.session.completed', done.session), []);
    await stripe.detachPaymentMethod({ customerRef: 'cus_someone_else', paymentMethodRef: done.paymentMethod['id'] });
    await stripe.detachPaymentMethod({ customerRef: 'cus_known', paymentMethodRef: 'pm_unknown' });
    assert.equal(fake.paymentMethods.get(done.paymentMethod['id'])!['customer'], 'cus_known');
  });
});

describe('Stripe refunds', () => {
  it('refunds part of a payment with our idempotency key, then the rest', async () => {
    const paid = await stripe.chargeSaved(renewal());
    const part = await stripe.refund({ providerRef: paid.providerRef, amount: 200, idempotencyKey: 'refund-1' });
    assert.equal(part.status, 'succeeded');
    assert.equal(part.amount, 200);
    assert.equal(part.currency, 'EUR');
    const { request, form } = lastPost('/v1/refunds');
    assert.equal(request.headers['idempotency-key'], 'refund-1');
    assert.equal(form['payment_intent'], paid.providerRef);
    assert.equal(form['amount'], '200');
    const rest = await stripe.refund({ providerRef: paid.providerRef, idempotencyKey: 'refund-2' });
    assert.equal(rest.amount, 300);
    assert.equal(lastPost('/v1/refunds').form['amount'], undefined);
  });

  it('sends an idempotency key with every POST it makes', () => {
    const posts = fake.requests.filter((r) => r.method === 'POST');
    assert.ok(posts.length > 5);
    for (const post of posts) assert.ok(post.headers['idempotency-key'], `${post.path} without idempotency key`);
  });
});
