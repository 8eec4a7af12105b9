import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { safeEqual } from '../../../core/crypto.js';
import { WebhookSignatureError } from '../errors.js';
import { bodyText, currencySchema } from '../inputs.js';
import { PAYMENT_EVENT_TYPES, type PaymentEvent } from '../types.js';

/** The header the test bank signs its webhooks with: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const TEST_SIGNATURE_HEADER = 'fanfare-test-signature';

/**
 * A webhook the test bank wants delivered: the exact HTTP body and headers, signed. Hand it to
 * `verifyWebhook` (or POST it to the site's webhook route) no earlier than `notBefore`, any number of
 * times, in any order. Serializable as JSON, so a job queue can hold it.
 */
export interface TestWebhookDelivery {
  eventId: string;
  /** When the event "happens" at the bank; a dispute is delivered a while after its payment. */
  notBefore: Date;
  body: string;
  headers: Record<string, string>;
}

/** Where the test bank sends webhooks: the app enqueues a job; tests record them. */
export type DeliverWebhook = (delivery: TestWebhookDelivery) => Promise<void>;

function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Builds the signed delivery of one event, as the bank sends it. */
export function signTestEvent(event: PaymentEvent, secret: string, notBefore: Date): TestWebhookDelivery {
  const { provider: _provider, eventId, type, occurredAt, livemode, ...data } = event;
  const body = JSON.stringify({ id: eventId, object: 'event', type, created: occurredAt.toISOString(), livemode, data });
  const timestamp = Math.floor(occurredAt.getTime() / 1000);
  return {
    eventId,
    notBefore,
    body,
    headers: { 'content-type': 'application/json', [TEST_SIGNATURE_HEADER]: `t=${timestamp},v1=${sign(secret, timestamp, body)}` },
  };
}

const eventBody = z.object({
  id: z.string().min(1),
  object: z.literal('event'),
  type: z.enum(PAYMENT_EVENT_TYPES),
  created: z.iso.datetime(),
  livemode: z.boolean(),
  data: z.object({
    providerRef: z.string().min(1),
    checkoutRef: z.string().optional(),
    amount: z.number().int().nonnegative(),
    currency: currencySchema,
    fee: z.number().int().nonnegative().optional(),
    metadata: z.record(z.string(), z.string()),
    customerRef: z.string().optional(),
    paymentMethodRef: z.string().optional(),
    declineCode: z.string().optional(),
  }),
});

/**
 * Checks a test-bank webhook and returns its event. The signature covers the timestamp and the raw
 * body. Deliveries are meant to wait in a queue for as long as a test likes, so age is only checked
 * when `toleranceSeconds` is given (the site gives TEST_WEBHOOK_TOLERANCE_SECONDS, registry.ts, either
 * way: past or future); replays are harmless anyway (events dedupe on `eventId`).
 */
export function verifyTestWebhook(
  rawBody: string | Uint8Array,
  headers: Headers,
  options: { secret: string; now: Date; toleranceSeconds?: number },
): PaymentEvent {
  const header = headers.get(TEST_SIGNATURE_HEADER);
  if (!header) throw new WebhookSignatureError('test', 'missing');
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || !signature || !/^[0-9a-f]{64}$/.test(signature)) {
    throw new WebhookSignatureError('test', 'malformed');
  }
  const body = bodyText(rawBody);
  if (!safeEqual(signature, sign(options.secret, timestamp, body))) throw new WebhookSignatureError('test', 'mismatch');
  if (options.toleranceSeconds !== undefined && Math.abs(options.now.getTime() / 1000 - timestamp) > options.toleranceSeconds) {
    throw new WebhookSignatureError('test', 'expired');
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new WebhookSignatureError('test', 'malformed', { cause: error });
  }
  const parsed = eventBody.safeParse(json);
  // Signed by us yet unreadable: a secret shared with something else. Refuse it like a bad signature.
  if (!parsed.success) throw new WebhookSignatureError('test', 'malformed', { cause: parsed.error });
  const { id, type, created, livemode, data } = parsed.data;
  return { provider: 'test', eventId: id, type, occurredAt: new Date(created), livemode, ...data };
}
