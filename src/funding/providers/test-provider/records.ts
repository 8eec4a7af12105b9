import { z } from 'zod';
import { ProviderError } from '../errors.js';
import { currencySchema } from '../inputs.js';
import type { TestBankKind, TestBankRecord, TestBankStore } from './store.js';

/**
 * The shapes of the test bank's objects, checked whenever one is read back from the store (the
 * database is outside this process: a hand-edited row must not turn into a wrong payment).
 */

const storedCard = z.object({
  behavior: z.enum(['succeed', 'decline', 'insufficient_funds', 'authenticate_once', 'authenticate_always', 'dispute', 'decline_off_session']),
  brand: z.enum(['visa', 'mastercard', 'unknown']),
  last4: z.string().regex(/^\d{4}$/),
});

const money = { amount: z.number().int().positive(), currency: currencySchema };
const metadata = z.record(z.string(), z.string());

/** A checkout: what to charge, where to send the fan, and how far the fan got. */
export const checkoutData = z.object({
  ...money,
  description: z.string(),
  customerEmail: z.string().optional(),
  /** Set at creation when the card is to be saved, so the customer exists before the payment. */
  customerRef: z.string().optional(),
  savePaymentMethod: z.boolean(),
  /** `setup`: save the card, charge nothing (a SetupIntent). Older records have no mode: payment. */
  mode: z.enum(['payment', 'setup']).optional(),
  /** The card a setup checkout saved. */
  paymentMethodRef: z.string().optional(),
  successUrl: z.string(),
  cancelUrl: z.string(),
  metadata,
  expiresAt: z.iso.datetime(),
  status: z.enum(['open', 'requires_action', 'paid']),
  /** The card waiting for its "Authenticate" step. */
  pendingCard: storedCard.optional(),
  paymentRef: z.string().optional(),
});

/** A payment (on-session from a checkout, or off-session), its refunds and its dispute. */
export const paymentData = z.object({
  ...money,
  status: z.enum(['succeeded', 'declined', 'requires_action']),
  fee: z.number().int().nonnegative(),
  declineCode: z.string().optional(),
  checkoutRef: z.string().optional(),
  customerRef: z.string().optional(),
  paymentMethodRef: z.string().optional(),
  card: storedCard,
  metadata,
  occurredAt: z.iso.datetime(),
  /** Refund id → amount, for every refund applied to this payment. */
  refunds: z.record(z.string(), z.number().int().positive()),
  dispute: z.enum(['none', 'open', 'won', 'lost']),
});

/** A saved card and the customer it belongs to. */
export const paymentMethodData = z.object({ customerRef: z.string(), card: storedCard, detached: z.boolean().optional() });

/** A refund; `failed` when a concurrent refund took what was left (replays then fail the same way). */
export const refundData = z.object({ ...money, paymentRef: z.string(), status: z.enum(['succeeded', 'failed']), occurredAt: z.iso.datetime() });

/** The data of each kind of record, as the schemas above check it. */
export type CheckoutData = z.infer<typeof checkoutData>;
export type PaymentData = z.infer<typeof paymentData>;
export type PaymentMethodData = z.infer<typeof paymentMethodData>;
export type RefundData = z.infer<typeof refundData>;

const schemas = { checkout: checkoutData, payment: paymentData, payment_method: paymentMethodData, refund: refundData } as const;

type DataOf<K extends TestBankKind> = z.infer<(typeof schemas)[K]>;

/** A record read back and checked: its data in its real shape, plus the version to update it with. */
export interface Loaded<K extends TestBankKind> {
  id: string;
  version: number;
  data: DataOf<K>;
}

/** Checks a stored record's data against its kind's shape. */
export function parseRecord<K extends TestBankKind>(kind: K, record: TestBankRecord): Loaded<K> {
  if (record.kind !== kind) throw notFound(record.id);
  const parsed = schemas[kind].safeParse(record.data);
  if (!parsed.success) {
    throw new ProviderError({ provider: 'test', code: 'provider_error', message: `test bank record ${record.id} is corrupt`, cause: parsed.error });
  }
  return { id: record.id, version: record.version, data: parsed.data as DataOf<K> };
}

/** Reads and checks one record; a missing one, or one of another kind, is `ProviderError('not_found')`. */
export async function load<K extends TestBankKind>(store: TestBankStore, kind: K, id: string): Promise<Loaded<K>> {
  const record = await store.get(id);
  if (!record) throw notFound(id);
  return parseRecord(kind, record);
}

function notFound(id: string): ProviderError {
  return new ProviderError({ provider: 'test', code: 'not_found', message: `no such test bank object: ${id}`, statusCode: 404 });
}

/**
 * Applies `change` to the record under compare-and-set, re-reading and retrying when another writer
 * got in first. `change` returns the new data, or undefined to leave the record as it is.
 */
export async function updateWith<K extends TestBankKind>(
  store: TestBankStore,
  kind: K,
  id: string,
  change: (data: DataOf<K>) => DataOf<K> | undefined,
): Promise<DataOf<K>> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await load(store, kind, id);
    const next = change(current.data);
    if (next === undefined) return current.data;
    if (await store.update(id, current.version, next)) return next;
  }
  throw new ProviderError({ provider: 'test', code: 'provider_error', message: `test bank record ${id} is too busy`, retryable: true });
}
