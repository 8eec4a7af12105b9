import type { ProviderId } from './types.js';

/**
 * Stable codes a `ProviderError` can carry. Provider-specific codes (Stripe's error codes) pass through
 * as they are, so this list names the ones Fanfare itself branches on.
 */
export type ProviderErrorCode =
  | 'invalid_request'
  | 'not_supported'
  | 'not_found'
  | 'idempotency_key_reused'
  | 'currency_not_supported'
  | 'amount_too_small'
  | 'refund_exceeds_payment'
  | 'charge_disputed'
  | 'payment_not_refundable'
  | 'checkout_expired'
  | 'checkout_not_payable'
  | 'authentication_failed'
  | 'unavailable'
  | 'provider_error'
  | (string & {});

/**
 * A provider refused or failed a request. `retryable` says whether the same request may succeed later
 * (network trouble, 5xx, rate limits): a job should retry those and give up at once on the others.
 */
export class ProviderError extends Error {
  readonly provider: ProviderId;
  readonly code: ProviderErrorCode;
  /** The provider's HTTP status, when the error came from an HTTP answer. */
  readonly statusCode?: number;
  readonly retryable: boolean;

  constructor(options: {
    provider: ProviderId;
    code: ProviderErrorCode;
    message?: string;
    statusCode?: number;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super(options.message ?? `${options.provider}: ${options.code}`, { cause: options.cause });
    this.name = new.target.name;
    this.provider = options.provider;
    this.code = options.code;
    this.statusCode = options.statusCode;
    this.retryable = options.retryable ?? false;
  }
}

/** The operation exists in the interface but this rail cannot do it (refunds and renewals on BTCPay). */
export class UnsupportedOperationError extends ProviderError {
  constructor(
    provider: ProviderId,
    readonly operation: 'chargeSaved' | 'refund' | 'savePaymentMethod' | 'setup' | 'detachPaymentMethod',
    message: string,
  ) {
    super({ provider, code: 'not_supported', message });
  }
}

/** Why a webhook was refused. */
export type WebhookSignatureFailure = 'missing' | 'malformed' | 'mismatch' | 'expired';

/**
 * A webhook whose signature is missing, malformed, wrong or too old. Answer it 400 and do nothing else:
 * the body is untrusted. Real deliveries are never refused this way unless a secret is misconfigured.
 */
export class WebhookSignatureError extends Error {
  constructor(
    readonly provider: ProviderId,
    readonly reason: WebhookSignatureFailure,
    options?: { cause?: unknown },
  ) {
    super(`${provider} webhook refused: signature ${reason}`, options);
    this.name = new.target.name;
  }
}
