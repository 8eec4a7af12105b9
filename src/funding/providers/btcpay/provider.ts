import { ProviderError, UnsupportedOperationError } from '../errors.js';
import { checkCheckoutInput, requestFingerprint } from '../inputs.js';
import { fromDecimalString, toDecimalString, type Money } from '../../money.js';
import type { CheckoutSession, CreateCheckoutInput, PaymentEvent, PaymentMetadata, PaymentProvider } from '../types.js';
import { createGreenfieldClient, type GreenfieldClient, type GreenfieldInvoice } from './client.js';
import { BTCPAY_EVENT_TYPES, verifyBtcpayWebhook } from './webhooks.js';

/** How to reach the BTCPay Server and check its webhooks. */
export interface CreateBtcpayProviderOptions {
  /** The BTCPay Server's base URL, e.g. `https://pay.example.org`. */
  url: string;
  apiKey: string;
  storeId: string;
  /** The secret of the store's webhook pointing at Fanfare. */
  webhookSecret: string;
  /** How long an invoice (and the exchange rate it locked) stays payable; default 30 minutes. */
  expirationMinutes?: number;
  /** False for a testnet/regtest server (no real bitcoin). Default true. */
  livemode?: boolean;
  /** For tests: a client already made. */
  client?: GreenfieldClient;
}

/** Where the app's metadata sits inside the invoice metadata, apart from BTCPay's own fields. */
const APP_METADATA = 'fanfare';
const REQUEST_HASH = 'fanfareRequest';

function requestHash(request: CreateCheckoutInput): string {
  const { idempotencyKey: _key, ...rest } = request;
  return requestFingerprint(rest).slice(0, 32);
}

function appMetadata(invoice: GreenfieldInvoice): PaymentMetadata {
  const stored = invoice.metadata?.[APP_METADATA];
  if (!stored || typeof stored !== 'object') return {};
  return Object.fromEntries(Object.entries(stored).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function session(invoice: GreenfieldInvoice): CheckoutSession {
  return { providerRef: invoice.id, redirectUrl: invoice.checkoutLink, expiresAt: new Date(invoice.expirationTime * 1000) };
}

/**
 * BTCPay Server (Greenfield API) as a `PaymentProvider`: one invoice per checkout, priced in fiat
 * (BTCPay locks the exchange rate until the invoice expires), paid on-chain or over Lightning to the
 * creator's own wallet. Nothing to save or charge later, no API refunds, no processor fee.
 */
export function createBtcpayProvider(options: CreateBtcpayProviderOptions): PaymentProvider {
  const client = options.client ?? createGreenfieldClient(options);

  async function createCheckout(input: CreateCheckoutInput): Promise<CheckoutSession> {
    const request = checkCheckoutInput('btcpay', input);
    if (request.mode === 'setup') {
      throw new UnsupportedOperationError('btcpay', 'setup', 'btcpay: bitcoin cannot be pre-authorized; nothing can be saved to charge later');
    }
    if (request.savePaymentMethod) {
      throw new UnsupportedOperationError('btcpay', 'savePaymentMethod', 'btcpay: bitcoin payments are pushed by the payer; nothing can be saved for renewals');
    }
    const hash = requestHash(request);
    // Greenfield has no idempotency keys: the key is the invoice's orderId, looked up before creating.
    const earlier = await client.findInvoicesByOrderId(request.idempotencyKey);
    const same = earlier.find((invoice) => invoice.metadata?.[REQUEST_HASH] === hash);
    if (same) return session(same);
    if (earlier.length > 0) {
      throw new ProviderError({ provider: 'btcpay', code: 'idempotency_key_reused', message: 'btcpay: this idempotency key was used for a different request' });
    }
    const invoice = await client.createInvoice({
      amount: toDecimalString(request),
      currency: request.currency,
      metadata: {
        orderId: request.idempotencyKey,
        itemDesc: request.description,
        ...(request.customerEmail ? { buyerEmail: request.customerEmail } : {}),
        [APP_METADATA]: request.metadata,
        [REQUEST_HASH]: hash,
      },
      checkout: {
        // BTCPay fills in {InvoiceId}; Fanfare's placeholder is Stripe's.
        redirectURL: request.successUrl.replaceAll('{CHECKOUT_SESSION_ID}', '{InvoiceId}'),
        redirectAutomatically: true,
        expirationMinutes: options.expirationMinutes ?? 30,
      },
    });
    return session(invoice);
  }

  async function verifyWebhook(rawBody: string | Uint8Array, headers: Headers): Promise<PaymentEvent[]> {
    const webhook = verifyBtcpayWebhook(rawBody, headers, options.webhookSecret);
    const type = BTCPAY_EVENT_TYPES[webhook.type];
    // Signed with our secret yet about another store: not ours to act on.
    if (!type || !webhook.invoiceId || webhook.storeId !== options.storeId) return [];
    // The webhook carries no amount: the invoice, read over the authenticated API, is the truth.
    const invoice = await client.getInvoice(webhook.invoiceId);
    let amount: Money;
    try {
      amount = fromDecimalString(invoice.amount, invoice.currency);
    } catch (cause) {
      throw new ProviderError({ provider: 'btcpay', code: 'provider_error', message: `btcpay: unreadable amount ${invoice.amount} ${invoice.currency}`, cause });
    }
    const declineCode = type === 'payment.failed' ? 'invoice_invalid' : webhook.partiallyPaid ? 'partially_paid' : undefined;
    return [
      {
        provider: 'btcpay',
        // Stable across BTCPay's redeliveries, which get a new deliveryId but keep originalDeliveryId.
        eventId: webhook.originalDeliveryId || webhook.deliveryId,
        type,
        providerRef: invoice.id,
        checkoutRef: invoice.id,
        amount: amount.amount,
        currency: amount.currency,
        fee: 0,
        occurredAt: new Date(webhook.timestamp * 1000),
        metadata: appMetadata(invoice),
        declineCode,
        livemode: options.livemode ?? true,
      },
    ];
  }

  return {
    id: 'btcpay',
    livemode: options.livemode ?? true,
    capabilities: { savedPaymentMethods: false, refunds: false, setupWithoutCharge: false },
    createCheckout,
    async detachPaymentMethod() {
      throw new UnsupportedOperationError('btcpay', 'detachPaymentMethod', 'btcpay: no payment method is ever saved');
    },
    async chargeSaved() {
      throw new UnsupportedOperationError('btcpay', 'chargeSaved', 'btcpay: bitcoin cannot be pulled from a payer; ask the fan to pay a new invoice');
    },
    async refund() {
      throw new UnsupportedOperationError(
        'btcpay',
        'refund',
        'btcpay: refunds are not made through this adapter; the creator issues them in BTCPay Server (a pull payment the fan claims)',
      );
    },
    verifyWebhook,
    // A store is named by its server and id; nothing is ever saved there to charge, so this only tells sites apart.
    accountIdentity: async () => `${new URL(options.url).host}/${options.storeId}`,
  };
}
