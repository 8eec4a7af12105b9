import { randomBytes } from 'node:crypto';
import { btcpaySignature } from '../../src/funding/providers/btcpay/webhooks.js';
import { startLocalServer, type FakeResponse, type LocalServer, type RecordedRequest } from './local-server.js';

/** A Greenfield invoice as the fake keeps it. */
export interface FakeInvoice {
  id: string;
  storeId: string;
  amount: string;
  currency: string;
  type: 'Standard';
  checkoutLink: string;
  status: 'New' | 'Processing' | 'Settled' | 'Expired' | 'Invalid';
  additionalStatus: 'None' | 'PaidPartial' | 'PaidOver' | 'Marked';
  createdTime: number;
  expirationTime: number;
  monitoringExpiration: number;
  metadata: Record<string, unknown>;
  checkout: Record<string, unknown>;
}

/** A local stand-in for a BTCPay Server: the Greenfield invoice calls, and signed webhooks. */
export interface FakeBtcpay extends LocalServer {
  apiKey: string;
  storeId: string;
  webhookSecret: string;
  invoices: Map<string, FakeInvoice>;
  /** Moves an invoice on (the fan paid, time ran out…). */
  setStatus(invoiceId: string, status: FakeInvoice['status']): void;
  /**
   * A webhook about an invoice, as BTCPay sends it: JSON body and `BTCPay-Sig` header. A redelivery
   * gets a new deliveryId and keeps the original one in `originalDeliveryId`.
   */
  webhook(type: string, invoiceId: string, options?: { redeliveryOf?: string; extra?: Record<string, unknown>; secret?: string }): {
    body: string;
    headers: Record<string, string>;
    deliveryId: string;
  };
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** Starts the fake on 127.0.0.1 with one store; requests must carry `Authorization: token <apiKey>`. */
export async function startFakeBtcpay(options: { apiKey?: string; storeId?: string; webhookSecret?: string } = {}): Promise<FakeBtcpay> {
  const apiKey = options.apiKey ?? 'greenfield-api-key';
  const storeId = options.storeId ?? 'STORE1';
  const webhookSecret = options.webhookSecret ?? 'btcpay-webhook-secret';
  const invoices = new Map<string, FakeInvoice>();
  let base = '';
  const now = () => Math.floor(Date.now() / 1000);
  const fail = (status: number, code: string, message: string): FakeResponse => ({ status, json: { code, message } });

  function create(request: RecordedRequest): FakeResponse {
    let body: Record<string, any>;
    try {
      body = JSON.parse(request.body);
    } catch {
      return fail(400, 'invalid-json', 'The request body is not JSON');
    }
    // Greenfield takes the amount as a decimal string (a number is accepted too; Fanfare never sends one).
    if (typeof body['amount'] !== 'string' || !DECIMAL.test(body['amount'])) {
      return { status: 422, json: [{ path: 'amount', message: 'Amount should be a decimal string' }] };
    }
    const expirationMinutes = Number(body['checkout']?.['expirationMinutes'] ?? 15);
    const id = randomBytes(11).toString('base64url');
    const invoice: FakeInvoice = {
      id,
      storeId,
      amount: body['amount'],
      currency: String(body['currency'] ?? 'USD').toUpperCase(),
      type: 'Standard',
      checkoutLink: `${base}/i/${id}`,
      status: 'New',
      additionalStatus: 'None',
      createdTime: now(),
      expirationTime: now() + expirationMinutes * 60,
      monitoringExpiration: now() + expirationMinutes * 60 + 3600,
      metadata: body['metadata'] ?? {},
      checkout: body['checkout'] ?? {},
    };
    invoices.set(id, invoice);
    return { status: 200, json: invoice };
  }

  function route(request: RecordedRequest): FakeResponse {
    if (request.headers['authorization'] !== `token ${apiKey}`) return fail(401, 'unauthenticated', 'Authentication is required');
    const match = /^\/api\/v1\/stores\/([^/]+)\/invoices(?:\/([^/]+))?$/.exec(request.path);
    if (!match) return fail(404, 'not-found', 'Not found');
    if (match[1] !== storeId) return fail(403, 'unauthorized', 'The API key cannot access this store');
    if (request.method === 'POST' && !match[2]) return create(request);
    if (request.method === 'GET' && match[2]) {
      const invoice = invoices.get(match[2]);
      return invoice ? { status: 200, json: invoice } : fail(404, 'invoice-not-found', 'The invoice was not found');
    }
    if (request.method === 'GET') {
      const orderIds = request.query.getAll('orderId');
      const found = [...invoices.values()].filter((i) => orderIds.length === 0 || orderIds.includes(String(i.metadata['orderId'])));
      return { status: 200, json: found };
    }
    return fail(405, 'method-not-allowed', 'Method not allowed');
  }

  const server = await startLocalServer(route);
  base = server.url;
  return {
    ...server,
    apiKey,
    storeId,
    webhookSecret,
    invoices,
    setStatus(invoiceId, status) {
      invoices.get(invoiceId)!.status = status;
    },
    webhook(type, invoiceId, opts = {}) {
      const deliveryId = randomBytes(11).toString('base64url');
      const invoice = invoices.get(invoiceId);
      const payload = {
        deliveryId,
        webhookId: 'WEBHOOK1',
        originalDeliveryId: opts.redeliveryOf ?? deliveryId,
        isRedelivery: opts.redeliveryOf !== undefined,
        type,
        timestamp: now(),
        storeId,
        invoiceId,
        metadata: invoice?.metadata ?? {},
        ...opts.extra,
      };
      const body = JSON.stringify(payload);
      return { body, deliveryId, headers: { 'content-type': 'application/json', 'btcpay-sig': btcpaySignature(body, opts.secret ?? webhookSecret) } };
    },
  };
}
