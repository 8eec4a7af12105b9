import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../../../core/http/context.js';
import { BadRequestError, NotFoundError } from '../../../core/http/errors.js';
import { readForm, textFields } from '../../../core/http/form.js';
import { pageEnv } from '../../../core/http/layout.js';
import { ProviderError } from '../errors.js';
import type { CheckoutOutcome, TestCheckoutView } from './checkout.js';
import { AuthenticatePage, CardFormPage, declineMessageKey, ExpiredPage, PaidPage, type CardFormState, type CheckoutPageProps } from './pages.js';
import type { TestProvider } from './provider.js';

/** What the test bank's payment pages are built from. */
export interface TestCheckoutRoutesOptions {
  /** The test bank whose checkouts these pages take payment for. */
  provider: TestProvider;
}

const CHECKOUT_ID = /^cs_test_[A-Za-z0-9_-]{16,64}$/;

/**
 * The test bank's hosted payment pages, to mount where the provider's `checkoutBaseUrl` points
 * (`app.route('/pay/test', testCheckoutRoutes({ provider }))`). Needs the site's core middleware in
 * front (locale, CSRF: every form carries `_csrf`) and its error handler behind. Server-rendered,
 * no script; the card number and CVC are never stored nor written back into a page.
 *
 * - `GET  /:checkoutId`              the card form (or the paid / expired page)
 * - `POST /:checkoutId`              pays; a 3155 card leads on to the Authenticate step
 * - `GET  /:checkoutId/authenticate` the bank's confirmation step
 * - `POST /:checkoutId/authenticate` `outcome=complete|fail`
 */
export function testCheckoutRoutes(options: TestCheckoutRoutesOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { provider } = options;

  async function checkout(c: AppContext): Promise<TestCheckoutView> {
    const id = c.req.param('checkoutId') ?? '';
    const view = CHECKOUT_ID.test(id) ? await provider.viewCheckout(id) : undefined;
    if (!view) throw new NotFoundError();
    // Pages that take card details are never cached, nor shown to other sites' referrers.
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return view;
  }

  function props(c: AppContext, view: TestCheckoutView, suffix = ''): CheckoutPageProps {
    return { env: pageEnv(c), tc: c.var.t, view, action: `${formPath(c)}${suffix}` };
  }

  /** The path of the checkout page itself, wherever the sub-app is mounted. */
  function formPath(c: AppContext): string {
    return c.req.path.replace(/\/authenticate$/, '');
  }

  /** The page a checkout in this state shows, when it is not the one asked for. */
  function elsewhere(c: AppContext, view: TestCheckoutView, here: 'form' | 'authenticate') {
    if (view.status === 'paid') return c.html(<PaidPage {...props(c, view)} />);
    if (view.status === 'expired') return c.html(<ExpiredPage {...props(c, view)} />, 410);
    if (view.status === 'requires_action' && here === 'form') return c.redirect(`${formPath(c)}/authenticate`, 303);
    if (view.status === 'open' && here === 'authenticate') return c.redirect(formPath(c), 303);
    return undefined;
  }

  function afterOutcome(c: AppContext, view: TestCheckoutView, outcome: CheckoutOutcome, expiry?: string) {
    switch (outcome.status) {
      case 'succeeded':
        return c.redirect(outcome.redirectUrl, 303);
      case 'requires_action':
        return c.redirect(`${formPath(c)}/authenticate`, 303);
      case 'invalid_card': {
        const state: CardFormState = { invalid: outcome.invalid, expiry };
        return c.html(<CardFormPage {...props(c, view)} state={state} />, 422);
      }
      case 'declined': {
        const state: CardFormState = { declined: declineMessageKey(outcome.declineCode), expiry };
        return c.html(<CardFormPage {...props(c, { ...view, status: 'open' })} state={state} />, 402);
      }
    }
  }

  /** Runs a payment step; a checkout that changed state meanwhile (expired, paid) is shown again. */
  async function step(c: AppContext, view: TestCheckoutView, run: () => Promise<CheckoutOutcome>, expiry?: string) {
    let outcome: CheckoutOutcome;
    try {
      outcome = await run();
    } catch (error) {
      const raced = error instanceof ProviderError && (error.code === 'checkout_expired' || error.code === 'checkout_not_payable');
      if (raced) return c.redirect(formPath(c), 303);
      throw error;
    }
    return afterOutcome(c, view, outcome, expiry);
  }

  app.get('/:checkoutId', async (c) => {
    const view = await checkout(c);
    return elsewhere(c, view, 'form') ?? c.html(<CardFormPage {...props(c, view)} state={{}} />);
  });

  app.post('/:checkoutId', async (c) => {
    const view = await checkout(c);
    const other = elsewhere(c, view, 'form');
    if (other && view.status !== 'requires_action') return other;
    const fields = textFields(await readForm(c));
    const card = { number: fields['number'] ?? '', expiry: fields['expiry'] ?? '', cvc: fields['cvc'] ?? '' };
    return step(c, view, () => provider.payCheckout(view.id, card), card.expiry.slice(0, 7));
  });

  app.get('/:checkoutId/authenticate', async (c) => {
    const view = await checkout(c);
    return elsewhere(c, view, 'authenticate') ?? c.html(<AuthenticatePage {...props(c, view, '/authenticate')} />);
  });

  app.post('/:checkoutId/authenticate', async (c) => {
    const view = await checkout(c);
    const other = elsewhere(c, view, 'authenticate');
    if (other) return other;
    const outcome = textFields(await readForm(c))['outcome'];
    // Only the page's two buttons: anything else is not the fan's answer, and must not count as a failure.
    if (outcome !== 'complete' && outcome !== 'fail') throw new BadRequestError();
    return step(c, view, () => provider.authenticateCheckout(view.id, outcome));
  });

  return app;
}
