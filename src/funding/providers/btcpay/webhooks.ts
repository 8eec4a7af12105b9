import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { safeEqual } from '../../../core/crypto.js';
import { WebhookSignatureError } from '../errors.js';
import type { PaymentEventType } from '../types.js';

/** The header BTCPay Server signs webhooks with: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const BTCPAY_SIGNATURE_HEADER = 'btcpay-sig';

/** The invoice webhook fields Fanfare reads (Greenfield "Webhook invoice event"). */
const invoiceWebhook = z.object({
  deliveryId: z.string().min(1),
  webhookId: z.string().optional(),
  /** Same as deliveryId on a first delivery; the first delivery's id on a redelivery. */
  originalDeliveryId: z.string().nullish(),
  isRedelivery: z.boolean().optional(),
  type: z.string(),
  /** Unix seconds. */
  timestamp: z.number(),
  storeId: z.string(),
  invoiceId: z.string().nullish(),
  manuallyMarked: z.boolean().optional(),
  partiallyPaid: z.boolean().optional(),
});

/** A verified invoice webhook payload. */
export type BtcpayWebhook = z.infer<typeof invoiceWebhook>;

/** The invoice events Fanfare acts on; the others (created, payment received, processing) are ignored. */
export const BTCPAY_EVENT_TYPES: Readonly<Record<string, PaymentEventType>> = {
  InvoiceSettled: 'payment.succeeded',
  InvoiceExpired: 'invoice.expired',
  InvoiceInvalid: 'payment.failed',
};

function bytesOf(rawBody: string | Uint8Array): Buffer {
  return typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
}

/** `sha256=` + the hex HMAC-SHA256 of `body` under `secret`, as BTCPay Server computes it. */
export function btcpaySignature(rawBody: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(bytesOf(rawBody)).digest('hex')}`;
}

/**
 * Checks the `BTCPay-Sig` header against the raw body in constant time, then reads the payload.
 * Throws `WebhookSignatureError` when the header is missing, malformed or wrong.
 */
export function verifyBtcpayWebhook(rawBody: string | Uint8Array, headers: Headers, secret: string): BtcpayWebhook {
  const header = headers.get(BTCPAY_SIGNATURE_HEADER);
  if (!header) throw new WebhookSignatureError('btcpay', 'missing');
  if (!/^sha256=[0-9a-fA-F]{64}$/.test(header)) throw new WebhookSignatureError('btcpay', 'malformed');
  if (!safeEqual(header.toLowerCase(), btcpaySignature(rawBody, secret))) throw new WebhookSignatureError('btcpay', 'mismatch');
  let json: unknown;
  try {
    json = JSON.parse(bytesOf(rawBody).toString('utf8'));
  } catch (error) {
    throw new WebhookSignatureError('btcpay', 'malformed', { cause: error });
  }
  const parsed = invoiceWebhook.safeParse(json);
  if (!parsed.success) throw new WebhookSignatureError('btcpay', 'malformed', { cause: parsed.error });
  return parsed.data;
}
