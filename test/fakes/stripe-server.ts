import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { DEFAULT_FEES, processingFee } from '../../src/funding/providers/test-provider/fees.js';
import { parseStripeForm, startLocalServer, type FakeResponse, type LocalServer, type RecordedRequest } from './local-server.js';

/** Stripe objects as loose JSON: the fake mirrors documented shapes, not the SDK types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fake only
type Json = Record<string, any>;

/**
 * Saved test payment methods, named like Stripe's (`pm_card_visa`…), and what an off-session charge
 * of each does.
 */
const METHODS: Record<string, { decline?: string; code?: string }> = {
  pm_card_visa: {},
  pm_card_chargeDeclined: { code: 'card_declined', decline: 'generic_decline' },
  pm_card_chargeDeclinedInsufficientFunds: { code: 'card_declined', decline: 'insufficient_funds' },
  pm_card_authenticationRequired: { code: 'authentication_required', decline: 'authentication_required' },
};

/** A local stand-in for api.stripe.com: the calls Fanfare makes, answered with objects shaped as documented. */
export interface FakeStripe extends LocalServer {
  apiKey: string;
  sessions: Map<string, Json>;
  paymentIntents: Map<string, Json>;
  /** The fan paid checkout `sessionId` with `paymentMethod`: the PaymentIntent, charge and fee now exist. */
  completeCheckout(sessionId: string, paymentMethod?: string): { session: Json; paymentIntent: Json };
  /**
   * The fan saved `card` on setup checkout `sessionId`: a new PaymentMethod (charged later as `card` is)
   * attached to the session's customer (or one created, `customer_creation=always`), a succeeded
   * SetupIntent with the session's `setup_intent_data.metadata`, and the session complete.
   */
  completeSetup(sessionId: string, card?: string): { session: Json; setupIntent: Json; paymentMethod: Json };
  setupIntents: Map<string, Json>;
  paymentMethods: Map<string, Json>;
  /** A webhook as Stripe sends it: the event JSON and its Stripe-Signature header (made by the SDK), dated `at`. */
  webhook(type: string, object: Json, secret: string, at: Date): { body: string; headers: Record<string, string> };
  /** The charge object of a payment intent, with its balance transaction id. */
  chargeOf(paymentIntentId: string): Json;
  /** The POST requests sent to `path`. */
  posts(path: string): RecordedRequest[];
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const error = (status: number, body: Json): FakeResponse => ({ status, json: { error: body } });

/** Starts the fake on 127.0.0.1. Point the SDK at it: `new Stripe(key, { host: '127.0.0.1', port, protocol: 'http' })`. */
export async function startFakeStripe(apiKey = 'sk_test_fanfare'): Promise<FakeStripe> {
  const sessions = new Map<string, Json>();
  const paymentIntents = new Map<string, Json>();
  const charges = new Map<string, Json>();
  const balanceTransactions = new Map<string, Json>();
  const setupIntents = new Map<string, Json>();
  /** PaymentMethods saved by setup sessions; `_card` is the test card whose behaviour they have. */
  const paymentMethods = new Map<string, Json>();
  let eventSeq = 0;
  const idempotent = new Map<string, { body: string; response: FakeResponse }>();
  const now = () => Math.floor(Date.now() / 1000);

  function charge(pi: Json): Json {
    const amount = pi['amount'] as number;
    const fee = processingFee(amount, DEFAULT_FEES[String(pi['currency']).toUpperCase()] ?? DEFAULT_FEES['EUR']!);
    const txn = { id: id('txn'), object: 'balance_transaction', amount, currency: pi['currency'], fee, net: amount - fee, type: 'charge', status: 'pending' };
    balanceTransactions.set(txn.id, txn);
    const ch = {
      id: id('ch'),
      object: 'charge',
      amount,
      amount_refunded: 0,
      currency: pi['currency'],
      payment_intent: pi['id'],
      balance_transaction: txn.id,
      metadata: pi['metadata'],
      refunded: false,
      status: 'succeeded',
    };
    charges.set(ch.id, ch);
    return ch;
  }

  function expanded(pi: Json, expand: string[]): Json {
    const out = { ...pi };
    if (expand.some((e) => e.startsWith('latest_charge')) && typeof pi['latest_charge'] === 'string') {
      const ch = { ...charges.get(pi['latest_charge'])! };
      if (expand.includes('latest_charge.balance_transaction')) ch['balance_transaction'] = balanceTransactions.get(ch['balance_transaction']);
      out['latest_charge'] = ch;
    }
    return out;
  }

  function expandList(value: unknown): string[] {
    return value && typeof value === 'object' ? Object.values(value as Record<string, string>) : [];
  }

  function createSession(form: Json): FakeResponse {
    const line = form['line_items']?.['0'];
    const amount = Number(line?.['price_data']?.['unit_amount']) * Number(line?.['quantity'] ?? 1);
    const setup = form['mode'] === 'setup';
    // Setup mode has no line items; Checkout requires the currency (dynamic payment methods).
    if (setup && (line || !form['currency'])) return error(400, { type: 'invalid_request_error', param: setup && line ? 'line_items' : 'currency', message: 'Invalid setup mode session' });
    const session = {
      id: id('cs_test'),
      object: 'checkout.session',
      amount_total: setup ? null : amount,
      currency: setup ? form['currency'] : line?.['price_data']?.['currency'],
      cancel_url: form['cancel_url'] ?? null,
      customer: form['customer'] ?? null,
      customer_creation: form['customer_creation'] ?? null,
      customer_email: form['customer_email'] ?? null,
      expires_at: now() + 24 * 3600,
      livemode: false,
      metadata: form['metadata'] ?? {},
      mode: form['mode'],
      payment_intent: null,
      payment_status: setup ? 'no_payment_required' : 'unpaid',
      setup_intent: null,
      status: 'open',
      success_url: form['success_url'],
      url: '',
      _payment_intent_data: form['payment_intent_data'] ?? {},
      _setup_intent_data: form['setup_intent_data'] ?? {},
    };
    session.url = `https://checkout.stripe.com/c/pay/${session.id}`;
    sessions.set(session.id, session);
    return { status: 200, json: publicSession(session) };
  }

  function publicSession(session: Json): Json {
    const { _payment_intent_data: _hidden, _setup_intent_data: _hiddenToo, ...visible } = session;
    return visible;
  }

  const publicMethod = (pm: Json): Json => {
    const { _card: _hidden, ...visible } = pm;
    return visible;
  };

  function createPaymentIntent(form: Json): FakeResponse {
    const saved = paymentMethods.get(form['payment_method']);
    if (saved && saved['customer'] !== (form['customer'] ?? null)) {
      // A saved method is charged only with the customer it is attached to (a detached one with none).
      return error(400, { type: 'invalid_request_error', param: 'payment_method', message: 'The provided PaymentMethod is not attached to this Customer.' });
    }
    const method = METHODS[saved ? saved['_card'] : form['payment_method']];
    if (!method) return error(400, { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method', message: 'No such PaymentMethod' });
    const pi: Json = {
      id: id('pi'),
      object: 'payment_intent',
      amount: Number(form['amount']),
      amount_received: 0,
      currency: form['currency'],
      customer: form['customer'] ?? null,
      payment_method: form['payment_method'],
      metadata: form['metadata'] ?? {},
      setup_future_usage: null,
      latest_charge: null,
      last_payment_error: null,
      livemode: false,
      created: now(),
      status: 'requires_payment_method',
    };
    paymentIntents.set(pi['id'], pi);
    if (method.code) {
      pi['last_payment_error'] = { type: 'card_error', code: method.code, decline_code: method.decline, message: 'Your card was declined.' };
      return error(402, { type: 'card_error', code: method.code, decline_code: method.decline, message: 'Your card was declined.', payment_intent: pi });
    }
    const ch = charge(pi);
    Object.assign(pi, { status: 'succeeded', amount_received: pi['amount'], latest_charge: ch['id'] });
    return { status: 200, json: expanded(pi, expandList(form['expand'])) };
  }

  function createRefund(form: Json): FakeResponse {
    const pi = paymentIntents.get(form['payment_intent']);
    if (!pi || pi['status'] !== 'succeeded') return error(400, { type: 'invalid_request_error', code: 'resource_missing', message: 'No such payment_intent' });
    const ch = charges.get(pi['latest_charge'])!;
    const amount = form['amount'] === undefined ? ch['amount'] - ch['amount_refunded'] : Number(form['amount']);
    if (amount > ch['amount'] - ch['amount_refunded']) {
      return error(400, { type: 'invalid_request_error', code: 'amount_too_large', message: 'Refund amount is greater than unrefunded amount' });
    }
    ch['amount_refunded'] += amount;
    ch['refunded'] = ch['amount_refunded'] === ch['amount'];
    return { status: 200, json: { id: id('re'), object: 'refund', amount, currency: pi['currency'], payment_intent: pi['id'], charge: ch['id'], status: 'succeeded', metadata: {} } };
  }

  function route(request: RecordedRequest): FakeResponse {
    if (request.headers['authorization'] !== `Bearer ${apiKey}`) {
      return error(401, { type: 'invalid_request_error', message: 'Invalid API Key provided' });
    }
    const form = parseStripeForm(request.body) as Json;
    if (request.method === 'POST' && request.path === '/v1/checkout/sessions') return createSession(form);
    if (request.method === 'POST' && request.path === '/v1/payment_intents') return createPaymentIntent(form);
    if (request.method === 'POST' && request.path === '/v1/refunds') return createRefund(form);
    // The account this key belongs to (one per fake, named after its key).
    if (request.method === 'GET' && request.path === '/v1/account') return { status: 200, json: { id: `acct_${apiKey.replace(/\W/g, '').slice(-16)}`, object: 'account' } };
    const setupIntent = /^\/v1\/setup_intents\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && setupIntent) {
      const seti = setupIntents.get(setupIntent[1]!);
      return seti ? { status: 200, json: seti } : error(404, { type: 'invalid_request_error', code: 'resource_missing', message: 'No such setupintent' });
    }
    const method = /^\/v1\/payment_methods\/([^/]+?)(\/detach)?$/.exec(request.path);
    if (method) {
      const pm = paymentMethods.get(method[1]!);
      if (!pm) return error(404, { type: 'invalid_request_error', code: 'resource_missing', message: 'No such PaymentMethod' });
      if (request.method === 'GET' && !method[2]) return { status: 200, json: publicMethod(pm) };
      if (request.method === 'POST' && method[2]) {
        if (!pm['customer']) return error(400, { type: 'invalid_request_error', message: 'The payment method you provided is not attached to a customer so detachment is impossible.' });
        pm['customer'] = null;
        return { status: 200, json: publicMethod(pm) };
      }
    }
    const read = /^\/v1\/payment_intents\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && read) {
      const pi = paymentIntents.get(read[1]!);
      if (!pi) return error(404, { type: 'invalid_request_error', code: 'resource_missing', message: 'No such payment_intent' });
      return { status: 200, json: expanded(pi, request.query.getAll('expand[]').concat(request.query.getAll('expand[0]'))) };
    }
    return error(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${request.path})` });
  }

  /** Stripe replays the first answer for a key, and refuses the key for different parameters. */
  function withIdempotency(request: RecordedRequest): FakeResponse {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string') return route(request);
    const seen = idempotent.get(key);
    if (seen && seen.body !== request.body) {
      return error(400, { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' });
    }
    if (seen) return { ...seen.response, headers: { 'idempotent-replayed': 'true' } };
    const response = route(request);
    if (response.status < 500) idempotent.set(key, { body: request.body, response });
    return response;
  }

  const server = await startLocalServer(withIdempotency);
  return {
    ...server,
    apiKey,
    sessions,
    paymentIntents,
    completeCheckout(sessionId, paymentMethod = 'pm_card_visa') {
      const session = sessions.get(sessionId)!;
      const data = session['_payment_intent_data'] as Json;
      const customer = session['customer'] ?? (session['customer_creation'] === 'always' ? id('cus') : null);
      const pi: Json = {
        id: id('pi'),
        object: 'payment_intent',
        amount: session['amount_total'],
        amount_received: session['amount_total'],
        currency: session['currency'],
        customer,
        payment_method: paymentMethod,
        metadata: data['metadata'] ?? {},
        setup_future_usage: data['setup_future_usage'] ?? null,
        last_payment_error: null,
        livemode: false,
        created: now(),
        status: 'succeeded',
      };
      pi['latest_charge'] = charge(pi)['id'];
      paymentIntents.set(pi['id'], pi);
      Object.assign(session, { customer, payment_intent: pi['id'], payment_status: 'paid', status: 'complete' });
      return { session: publicSession(session), paymentIntent: pi };
    },
    setupIntents,
    paymentMethods,
    completeSetup(sessionId, card = 'pm_card_visa') {
      const session = sessions.get(sessionId)!;
      const customer = session['customer'] ?? (session['customer_creation'] === 'always' ? id('cus') : null);
      const paymentMethod = { id: id('pm'), object: 'payment_method', type: 'card', card: { brand: 'visa', last4: '4242' }, customer, livemode: false, created: now(), _card: card };
      paymentMethods.set(paymentMethod.id, paymentMethod);
      const data = session['_setup_intent_data'] as Json;
      const setupIntent = {
        id: id('seti'),
        object: 'setup_intent',
        customer,
        description: data['description'] ?? null,
        livemode: false,
        metadata: data['metadata'] ?? {},
        payment_method: paymentMethod.id,
        status: 'succeeded',
        usage: 'off_session',
        created: now(),
      };
      setupIntents.set(setupIntent.id, setupIntent);
      Object.assign(session, { customer, setup_intent: setupIntent.id, status: 'complete' });
      return { session: publicSession(session), setupIntent, paymentMethod: publicMethod(paymentMethod) };
    },
    webhook(type, object, secret, at) {
      const created = Math.floor(at.getTime() / 1000);
      const body = JSON.stringify({
        id: `evt_fake_${++eventSeq}_${randomBytes(4).toString('hex')}`,
        object: 'event',
        api_version: Stripe.API_VERSION,
        created,
        data: { object },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
      });
      const signature = new Stripe(apiKey).webhooks.generateTestHeaderString({ payload: body, secret, timestamp: created });
      return { body, headers: { 'stripe-signature': signature, 'content-type': 'application/json' } };
    },
    chargeOf: (paymentIntentId) => charges.get(paymentIntents.get(paymentIntentId)!['latest_charge'])!,
    posts: (path) => server.requests.filter((r) => r.method === 'POST' && r.path === path),
  };
}
