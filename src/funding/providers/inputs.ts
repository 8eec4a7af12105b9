import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isCurrency, type Currency } from '../money.js';
import { ProviderError } from './errors.js';
import type { ChargeSavedInput, CreateCheckoutInput, ProviderId, RefundInput } from './types.js';

/** Largest single amount accepted, in minor units (Stripe's own limit: 999,999.99). */
export const MAX_AMOUNT = 99_999_999;

const amount = z.number().int().positive().max(MAX_AMOUNT);
/** One of the currencies Fanfare supports (../money.ts), upper case: what `Money['currency']` holds. */
export const currencySchema = z.custom<Currency>((value) => typeof value === 'string' && isCurrency(value), 'a currency Fanfare supports (upper-case ISO 4217 code)');
const currency = currencySchema;
const idempotencyKey = z.string().min(1).max(255);
const ref = z.string().min(1).max(255);
const webUrl = z.url({ protocol: /^https?$/ }).max(2048);
/**
 * Within Stripe's limits, the strictest of the rails (50 keys of 40 characters, values of 500), with
 * room left for the keys adapters add themselves.
 */
const metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 40, 'at most 40 metadata keys');

const checkoutSchema = z.object({
  amount,
  currency,
  description: z.string().min(1).max(500),
  idempotencyKey,
  customerEmail: z.email().max(254).optional(),
  customerRef: ref.optional(),
  savePaymentMethod: z.boolean().optional(),
  mode: z.enum(['payment', 'setup']).optional(),
  successUrl: webUrl,
  cancelUrl: webUrl,
  metadata,
});

const chargeSchema = z.object({ amount, currency, customerRef: ref, paymentMethodRef: ref, idempotencyKey, metadata });

const refundSchema = z.object({ providerRef: ref, amount: amount.optional(), idempotencyKey });

function parse<T>(provider: ProviderId, schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  throw new ProviderError({ provider, code: 'invalid_request', message: `invalid request: ${detail}`, cause: result.error });
}

/** Validates a checkout request where it enters a provider; throws `ProviderError('invalid_request')`. */
export function checkCheckoutInput(provider: ProviderId, input: CreateCheckoutInput): CreateCheckoutInput {
  return parse(provider, checkoutSchema, input);
}

/** Validates an off-session charge request; throws `ProviderError('invalid_request')`. */
export function checkChargeInput(provider: ProviderId, input: ChargeSavedInput): ChargeSavedInput {
  return parse(provider, chargeSchema, input);
}

/** Validates a refund request; throws `ProviderError('invalid_request')`. */
export function checkRefundInput(provider: ProviderId, input: RefundInput): RefundInput {
  return parse(provider, refundSchema, input);
}

/** The body of a webhook as text, whatever form the HTTP layer handed it in. */
export function bodyText(rawBody: string | Uint8Array): string {
  return typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: false }).decode(rawBody);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * A hash of a request that ignores key order and absent fields, to tell a replay under an idempotency
 * key from a different request reusing it.
 */
export function requestFingerprint(request: object): string {
  return createHash('sha256').update(JSON.stringify(canonical(request))).digest('hex');
}
