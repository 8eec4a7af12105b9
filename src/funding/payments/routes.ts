import { Hono } from 'hono';
import type { AppDeps } from '../../core/deps.js';
import type { AppEnv } from '../../core/http/context.js';
import type { JobHandler } from '../../core/jobs/index.js';
import { PermanentJobError } from '../../core/jobs/index.js';
import { withLedgerSelfCheck } from '../ledger/index.js';
import { ProviderError, WebhookSignatureError, type TestWebhookDelivery } from '../providers/index.js';
import { applyPaymentEvents, EventOutOfOrderError, type PurposeRegistry } from './events.js';
import { insertNotice } from './queries.js';
import { TEST_WEBHOOK_JOB, type PaymentServices } from './services.js';

/** Paths the CSRF check leaves alone: providers sign their webhooks instead. */
export const WEBHOOK_PATH = '/webhooks/';

/**
 * `POST /webhooks/:provider` — Stripe and BTCPay call it. The raw body is verified with the provider's
 * signature scheme before anything is parsed; events are then applied exactly once (events.ts).
 * Answers: 200 applied (or already applied), 200 with `refused` for a verified event that can never
 * apply, 400 bad signature, 404 unknown rail, 409 too early (the provider retries), 503 when the
 * provider must retry for its own reasons.
 *
 * Refused events get a 2xx on purpose: Stripe treats any other status as "not received" and retries
 * for three days, and BTCPay Server retries and holds the store's later deliveries behind a failing
 * one. The refusal is recorded and shown to the creator instead (events.ts, `recordRefusal`).
 */
export function webhookRoutes(deps: AppDeps, payments: PaymentServices, purposes: PurposeRegistry) {
  const app = new Hono<AppEnv>();
  app.post('/webhooks/:provider', async (c) => {
    const provider = payments.get(c.req.param('provider'));
    const error = (status: 400 | 404 | 409 | 503, code: string, message: string) => c.json({ error: { code, message } }, status);
    if (!provider) return error(404, 'unknown_provider', 'No such payment provider on this site.');
    const raw = new Uint8Array(await c.req.arrayBuffer());
    try {
      const events = await provider.verifyWebhook(raw, c.req.raw.headers);
      const { refused } = await applyPaymentEvents(deps, purposes, events);
      return c.json({ received: events.length, refused: refused.length });
    } catch (err) {
      if (err instanceof WebhookSignatureError) return error(400, 'bad_signature', `Webhook signature refused: ${err.reason}.`);
      if (err instanceof EventOutOfOrderError) return error(409, 'out_of_order', err.message);
      if (err instanceof ProviderError && err.retryable) return error(503, 'retry_later', 'Please retry this delivery later.');
      // Signed, but about something the provider itself does not know (an unknown BTCPay invoice): never applicable.
      if (err instanceof ProviderError) {
        await refuseUnreadable(deps, provider.id, err);
        return c.json({ received: 0, refused: 1 });
      }
      throw err;
    }
  });
  return app;
}

/** A signed delivery whose details the provider refused to give: logged and shown to the site owner. */
async function refuseUnreadable(deps: AppDeps, provider: string, err: ProviderError): Promise<void> {
  deps.log.error({ err, provider }, 'signed webhook refused: the provider does not know what it is about');
  await insertNotice(deps.db, { channelId: null, paymentId: null, kind: 'webhook_refused', detail: `${provider}: ${err.code} (${err.message})`, at: deps.clock.now() });
}

/**
 * The job that delivers one test-bank webhook, verified exactly as the route verifies a real one. A
 * money job: it ends with the ledger's self-check.
 */
export function testWebhookJob(deps: AppDeps, payments: PaymentServices, purposes: PurposeRegistry): JobHandler {
  return withLedgerSelfCheck(deps, TEST_WEBHOOK_JOB, async ({ job }) => {
    const delivery = job.payload as TestWebhookDelivery;
    const bank = payments.providers.test;
    if (!bank) throw new PermanentJobError('the test provider is disabled');
    try {
      const events = await bank.verifyQueuedWebhook(delivery.body, new Headers(delivery.headers));
      await applyPaymentEvents(deps, purposes, events);
    } catch (err) {
      if (err instanceof WebhookSignatureError) throw new PermanentJobError(`test webhook refused: ${err.reason}`, { cause: err });
      throw err;
    }
  });
}
