/**
 * Payment providers: one interface (`PaymentProvider`), several rails beside it: the built-in `test`
 * bank, Stripe, BTCPay Server; plus Lightning Address tips, which need no provider at all.
 * See README.md in this folder for the design, the storage the test bank needs, and configuration.
 */
export type {
  ChargeResult,
  ChargeSavedInput,
  CheckoutSession,
  CreateCheckoutInput,
  DetachPaymentMethodInput,
  Money,
  PaymentEvent,
  PaymentEventType,
  PaymentMetadata,
  PaymentProvider,
  ProviderCapabilities,
  ProviderId,
  RefundInput,
  RefundResult,
} from './types.js';
export { PAYMENT_EVENT_TYPES } from './types.js';
export { ProviderError, UnsupportedOperationError, WebhookSignatureError, type ProviderErrorCode, type WebhookSignatureFailure } from './errors.js';
export { MAX_AMOUNT } from './inputs.js';
export {
  createProviders,
  PaymentsConfigError,
  TEST_CHECKOUT_PATH,
  TEST_WEBHOOK_TOLERANCE_SECONDS,
  type CreateProvidersOptions,
  type EnabledProviders,
  type PaymentsConfig,
} from './registry.js';

export { createTestProvider, type CreateTestProviderOptions, type TestProvider } from './test-provider/provider.js';
export { testCheckoutRoutes, type TestCheckoutRoutesOptions } from './test-provider/routes.js';
/** The test bank's storage interface, for the app's SQL implementation and its tests. */
export type { NewTestBankRecord, TestBankKind, TestBankRecord, TestBankStore } from './test-provider/store.js';
export { createSqlTestBankStore } from './test-provider/sql-store.js';
export { TEST_CARDS, type CardBehavior } from './test-provider/cards.js';
export { DEFAULT_FEES, processingFee, type CurrencyFees, type FeeSchedule } from './test-provider/fees.js';
export { TEST_SIGNATURE_HEADER, type DeliverWebhook, type TestWebhookDelivery } from './test-provider/webhooks.js';

export { createStripeProvider, type CreateStripeProviderOptions } from './stripe/provider.js';
export { createBtcpayProvider, type CreateBtcpayProviderOptions } from './btcpay/provider.js';
export { BTCPAY_SIGNATURE_HEADER } from './btcpay/webhooks.js';

export {
  formatLightningAddress,
  InvalidLightningAddressError,
  isLightningAddress,
  lightningAddressQrSvg,
  lightningUri,
  lnurlpUrl,
  parseLightningAddress,
  type LightningAddress,
  type LightningAddressProblem,
  type QrSvgOptions,
} from './lightning-address.js';
