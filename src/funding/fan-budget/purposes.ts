// What a fan-budget payment does when its fate is known (registered in the `payments.purposes` slot).
import type { AppDeps } from '../../core/deps.js';
import { readPaymentShares } from '../ledger/index.js';
import type { PurposeRegistry } from '../payments/index.js';
import { recordFailure } from './charges.js';
import { sendMonthEmail } from './mail.js';
import * as q from './queries.js';
import { creatorWeights, splitAmongItems } from './split.js';

/**
 * - `shares`: the creators of the charge's frozen items, weighted by their clicks, so the ledger's split
 *   payment gives each creator (clicks ÷ all clicks) of the money, in the same transaction as the charge.
 * - `succeeded`: each item's part of its creator's gross and net (equal, largest remainder), the charge
 *   paid. A second payment for a month already paid (a late retry overtaken by an on-session payment)
 *   cannot be delivered: `{ undeliverable }`, and the payments capability gives it back.
 * - `failed`: an asynchronous decline, recorded like a synchronous one (retry or unpaid).
 * - `setupSaved`: the card saved by the budget's setup checkout; the budget becomes active.
 */
export function fanBudgetPurposes(deps: AppDeps): PurposeRegistry {
  return {
    fan_budget: {
      async shares(tx, payment) {
        const charge = await q.chargeForPayment(tx, payment.id);
        return charge ? creatorWeights(await q.chargeItems(tx, charge.id)) : [];
      },
      async succeeded(tx, payment) {
        const charge = await q.chargeForPayment(tx, payment.id);
        if (!charge) return { undeliverable: 'fan_budget_charge_missing' };
        if (charge.status === 'succeeded' && charge.payment_id !== payment.id) return { undeliverable: 'fan_budget_month_already_paid' };
        const ledgerId = (await tx.query<{ ledger_transaction_id: number }>('SELECT ledger_transaction_id FROM payments WHERE id = $1', [payment.id]))[0]!.ledger_transaction_id;
        const items = await q.chargeItems(tx, charge.id);
        const shares = [];
        for (const part of await readPaymentShares(tx, Number(ledgerId))) {
          const lines = items.filter((i) => i.channel_id === part.channelId).map((i) => i.line);
          const gross = splitAmongItems(part.gross.amount, lines);
          const net = splitAmongItems(part.net.amount, lines);
          shares.push(...lines.map((line, i) => ({ line, gross: gross[i]!, net: net[i]! })));
        }
        await q.setItemShares(tx, charge.id, shares);
        await q.markChargeSucceeded(tx, charge.id, payment.id);
        const channelIds = [...new Set(items.map((i) => i.channel_id))];
        await deps.events.publish(tx, 'fan-budget.charge-paid', { month: charge.month, chargeId: charge.id, userId: charge.user_id, channelIds }, `fan-budget-paid:${charge.id}`);
      },
      async failed(tx, payment, event) {
        const charge = await q.chargeForPayment(tx, payment.id);
        const attempt = await q.attemptOfPayment(tx, payment.id);
        if (charge && attempt !== undefined) await recordFailure(deps, tx, charge, attempt, event.declineCode ?? event.type);
      },
      async setupSaved(tx, event) {
        const userId = event.metadata['userId'];
        if (!userId || !event.customerRef || !event.paymentMethodRef) return;
        await q.saveBudgetCard(tx, userId, { provider: event.provider, customerRef: event.customerRef, paymentMethodRef: event.paymentMethodRef });
      },
      async afterSucceeded(payment) {
        const charge = await q.chargeForPayment(deps.db, payment.id);
        if (charge?.status === 'succeeded' && charge.payment_id === payment.id) await sendMonthEmail(deps, charge);
      },
    },
  };
}
