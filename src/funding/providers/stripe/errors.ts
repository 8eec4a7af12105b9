import Stripe from 'stripe';
import { ProviderError } from '../errors.js';

/**
 * Turns whatever the Stripe SDK threw into a `ProviderError`, keeping Stripe's error code (or type) and
 * HTTP status. Network failures, rate limits, 5xx and idempotency conflicts on a request still being
 * processed (409) are retryable with the same idempotency key; the rest are not.
 */
export function stripeError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof Stripe.errors.StripeError) {
    const status = error.statusCode;
    const retryable =
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeRateLimitError ||
      error instanceof Stripe.errors.StripeAPIError ||
      status === 409 ||
      (status !== undefined && status >= 500);
    const code = retryable && error instanceof Stripe.errors.StripeConnectionError ? 'unavailable' : (error.code ?? error.rawType ?? 'provider_error');
    return new ProviderError({ provider: 'stripe', code, statusCode: status, retryable, message: `stripe: ${error.message}`, cause: error });
  }
  return new ProviderError({ provider: 'stripe', code: 'provider_error', retryable: true, message: 'stripe: unexpected failure', cause: error });
}
