import type { AppDeps } from '../../core/deps.js';
import { ValidationError } from '../../core/http/errors.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { ProviderError, type CheckoutSession, type CreateCheckoutInput, type PaymentProvider } from '../providers/index.js';
import { setCheckoutRef, setStatus } from './queries.js';

/**
 * Opens the provider's checkout for a payment row already written (pending), the one step every purpose
 * that takes money shares: the provider's reference is recorded on the row; when the provider cannot be
 * reached the row is marked failed (never left pending for ever) and the fan gets a form error in their
 * language instead of a 5xx. `errorKey` lets a purpose say it in its own words.
 */
export async function openPaymentCheckout(
  deps: Pick<AppDeps, 'db'>,
  provider: PaymentProvider,
  paymentId: string,
  input: CreateCheckoutInput,
  errorKey: MessageKey = 'payment.provider_unavailable',
): Promise<CheckoutSession> {
  try {
    const checkout = await provider.createCheckout(input);
    await setCheckoutRef(deps.db, paymentId, checkout.providerRef);
    return checkout;
  } catch (error) {
    await setStatus(deps.db, paymentId, 'failed', error instanceof ProviderError ? error.code : 'checkout_failed');
    if (error instanceof ProviderError) throw new ValidationError({ _form: errorKey });
    throw error;
  }
}
