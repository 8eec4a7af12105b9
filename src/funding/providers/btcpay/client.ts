import { z } from 'zod';
import { ProviderError } from '../errors.js';

/** The parts of a Greenfield invoice Fanfare reads. */
export const invoiceSchema = z.object({
  id: z.string().min(1),
  storeId: z.string().optional(),
  /** Decimal string in `currency`, e.g. "12.34". */
  amount: z.string(),
  currency: z.string(),
  status: z.string(),
  checkoutLink: z.string(),
  /** Unix seconds. */
  expirationTime: z.number(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

/** A Greenfield invoice, as checked by `invoiceSchema`. */
export type GreenfieldInvoice = z.infer<typeof invoiceSchema>;

/** The body of `POST /api/v1/stores/{storeId}/invoices`. */
export interface CreateInvoiceRequest {
  amount: string;
  currency: string;
  metadata: Record<string, unknown>;
  checkout: { redirectURL: string; redirectAutomatically: boolean; expirationMinutes: number };
}

/** Where the BTCPay Server is and which store the client acts for. */
export interface GreenfieldClientOptions {
  /** The server's base URL, e.g. `https://pay.example.org`. */
  url: string;
  /** A Greenfield API key with `btcpay.store.cancreateinvoice` and `btcpay.store.canviewinvoices`. */
  apiKey: string;
  storeId: string;
  timeoutMs?: number;
}

/** The few Greenfield calls the BTCPay adapter makes, over fetch. Errors come out as `ProviderError`. */
export interface GreenfieldClient {
  createInvoice(request: CreateInvoiceRequest): Promise<GreenfieldInvoice>;
  getInvoice(invoiceId: string): Promise<GreenfieldInvoice>;
  /** Invoices whose `metadata.orderId` is `orderId` (Greenfield's own filter). */
  findInvoicesByOrderId(orderId: string): Promise<GreenfieldInvoice[]>;
}

function codeFor(status: number): { code: string; retryable: boolean } {
  if (status === 401 || status === 403) return { code: 'authentication_failed', retryable: false };
  if (status === 404) return { code: 'not_found', retryable: false };
  if (status === 400 || status === 422) return { code: 'invalid_request', retryable: false };
  if (status === 429 || status >= 500) return { code: 'unavailable', retryable: true };
  return { code: 'provider_error', retryable: false };
}

/** Creates a client bound to one store. */
export function createGreenfieldClient(options: GreenfieldClientOptions): GreenfieldClient {
  const base = `${options.url.replace(/\/+$/, '')}/api/v1/stores/${encodeURIComponent(options.storeId)}/invoices`;

  async function call<T>(schema: z.ZodType<T>, url: string, init: RequestInit = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        headers: { authorization: `token ${options.apiKey}`, accept: 'application/json', 'content-type': 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
        redirect: 'error',
      });
    } catch (cause) {
      throw new ProviderError({ provider: 'btcpay', code: 'unavailable', retryable: true, message: 'btcpay: server unreachable', cause });
    }
    const text = await response.text();
    if (!response.ok) {
      const { code, retryable } = codeFor(response.status);
      // Greenfield explains errors as { code, message } or, for validation, [{ path, message }].
      throw new ProviderError({ provider: 'btcpay', code, retryable, statusCode: response.status, message: `btcpay: HTTP ${response.status}: ${text.slice(0, 300)}` });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new ProviderError({ provider: 'btcpay', code: 'provider_error', retryable: true, message: 'btcpay: answer is not JSON', cause });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ProviderError({ provider: 'btcpay', code: 'provider_error', message: 'btcpay: unexpected answer', cause: parsed.error });
    return parsed.data;
  }

  return {
    createInvoice: (request) => call(invoiceSchema, base, { method: 'POST', body: JSON.stringify(request) }),
    getInvoice: (invoiceId) => call(invoiceSchema, `${base}/${encodeURIComponent(invoiceId)}`),
    findInvoicesByOrderId: (orderId) => call(z.array(invoiceSchema), `${base}?${new URLSearchParams({ orderId })}`),
  };
}
