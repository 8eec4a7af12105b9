import { CsrfField, Layout, type PageEnv } from '../../../core/http/layout.js';
import type { MessageKey, Translate } from '../../../core/i18n/index.js';
import { formatMoney, money } from '../../money.js';
import type { CardField } from './cards.js';
import type { TestCheckoutView } from './checkout.js';

/** What every test payment page gets: the site's page env, its translator (words in funding/payments/messages.ts), the checkout. */
export interface CheckoutPageProps {
  env: PageEnv;
  tc: Translate;
  view: TestCheckoutView;
  /** Where the page's form posts (the page's own path). */
  action: string;
}

/** The card form shown again: which fields were wrong, or why the bank declined. */
export interface CardFormState {
  invalid?: CardField[];
  declined?: MessageKey;
  expiry?: string;
}

const FIELD_ERRORS: Record<CardField, MessageKey> = {
  number: 'pay_test.error.card_number',
  expiry: 'pay_test.error.expiry',
  cvc: 'pay_test.error.cvc',
};

/** The message for a decline code the page knows, else the generic decline. */
export function declineMessageKey(code: string): MessageKey {
  if (code === 'insufficient_funds') return 'pay_test.declined.insufficient_funds';
  if (code === 'authentication_failed') return 'pay_test.declined.authentication_failed';
  return 'pay_test.declined.card_declined';
}

function price(props: CheckoutPageProps): string {
  return formatMoney(money(props.view.amount, props.view.currency), props.env.locale);
}

/** A labelled card input with its error tied to it, marked up like core/http/fields.tsx. */
function CardInputField(props: {
  tc: Translate;
  name: CardField;
  label: MessageKey;
  hint?: MessageKey;
  autocomplete: string;
  maxlength: number;
  invalid: boolean;
  value?: string;
}) {
  const id = `field-${props.name}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.invalid ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.invalid ? 'field field-error' : 'field'}>
      <label for={id}>{props.tc(props.label)}</label>
      <input
        id={id}
        name={props.name}
        type="text"
        inputmode="numeric"
        required
        autocomplete={props.autocomplete}
        maxlength={props.maxlength}
        value={props.value ?? ''}
        aria-invalid={props.invalid ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.tc(props.hint)}
        </p>
      )}
      {props.invalid && (
        <p class="error" id={errorId}>
          {props.tc(FIELD_ERRORS[props.name])}
        </p>
      )}
    </div>
  );
}

function Summary(props: CheckoutPageProps) {
  return (
    <>
      <p class="notice notice-info" role="note">
        {props.tc('pay_test.banner')}
      </p>
      <dl class="payment-summary">
        <dt>{props.view.description}</dt>
        <dd>
          <span class="visually-hidden">{props.tc('pay_test.amount')} </span>
          {price(props)}
        </dd>
      </dl>
    </>
  );
}

/** The card form. The number and CVC are never written back into the page. */
export function CardFormPage(props: CheckoutPageProps & { state: CardFormState }) {
  const { env, tc, view, state } = props;
  const invalid = new Set(state.invalid ?? []);
  return (
    <Layout env={env} title={tc('pay_test.title')}>
      <h1>{tc('pay_test.title')}</h1>
      <Summary {...props} />
      {invalid.size > 0 && (
        <div class="notice notice-error" role="alert">
          <p>{env.t('error.validation')}</p>
        </div>
      )}
      {state.declined && (
        <p class="notice notice-error" role="alert">
          {tc(state.declined)}
        </p>
      )}
      <form method="post" action={props.action} class="stack" novalidate>
        <CsrfField env={env} />
        <CardInputField tc={tc} name="number" label="pay_test.card_number" autocomplete="cc-number" maxlength={23} invalid={invalid.has('number')} />
        <CardInputField tc={tc} name="expiry" label="pay_test.expiry" autocomplete="cc-exp" maxlength={7} invalid={invalid.has('expiry')} value={state.expiry} />
        <CardInputField tc={tc} name="cvc" label="pay_test.cvc" hint="pay_test.cvc_hint" autocomplete="cc-csc" maxlength={4} invalid={invalid.has('cvc')} />
        {view.mode === 'setup' ? <p>{tc('pay_test.setup_notice', { amount: price(props) })}</p> : view.savePaymentMethod && <p>{tc('pay_test.save_notice')}</p>}
        <button type="submit">{view.mode === 'setup' ? tc('pay_test.save_card') : tc('pay_test.pay', { amount: price(props) })}</button>
      </form>
      <p>
        <a href={view.cancelUrl}>{tc('pay_test.cancel')}</a>
      </p>
    </Layout>
  );
}

/** The bank's "Authenticate" step (3-D Secure, as the 3155 card asks for). */
export function AuthenticatePage(props: CheckoutPageProps) {
  const { env, tc, view } = props;
  return (
    <Layout env={env} title={tc('pay_test.authenticate.title')}>
      <h1>{tc('pay_test.authenticate.title')}</h1>
      <Summary {...props} />
      <p>{tc('pay_test.authenticate.intro', { amount: price(props), last4: view.pendingCardLast4 ?? '' })}</p>
      <form method="post" action={props.action} class="stack">
        <CsrfField env={env} />
        <button type="submit" name="outcome" value="complete">
          {tc('pay_test.authenticate.complete')}
        </button>
        <button type="submit" name="outcome" value="fail">
          {tc('pay_test.authenticate.fail')}
        </button>
      </form>
    </Layout>
  );
}

/** A checkout already paid: the way on. */
export function PaidPage(props: CheckoutPageProps) {
  const { env, tc, view } = props;
  return (
    <Layout env={env} title={tc('pay_test.paid.title')}>
      <h1>{tc('pay_test.paid.title')}</h1>
      <p role="status">{tc('pay_test.paid.body')}</p>
      <p>
        <a href={view.successUrl}>{tc('pay_test.continue')}</a>
      </p>
    </Layout>
  );
}

/** A checkout past its time. */
export function ExpiredPage(props: CheckoutPageProps) {
  const { env, tc, view } = props;
  return (
    <Layout env={env} title={tc('pay_test.expired.title')}>
      <h1>{tc('pay_test.expired.title')}</h1>
      <p role="status">{tc('pay_test.expired.body')}</p>
      <p>
        <a href={view.cancelUrl}>{tc('pay_test.cancel')}</a>
      </p>
    </Layout>
  );
}
