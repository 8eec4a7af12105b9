import { raw } from 'hono/html';
import { Field, FormErrors, type FieldState } from '../../core/http/fields.js';
import { CsrfField, Layout, Notice, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { StudioLayout } from '../../studio/index.js';
import { formatMoney, formatMoneyInput, money } from '../money.js';
import type { FanTipRow, TipMessageRow } from './queries.js';


export interface TipWidgetProps {
  env: PageEnv;
  shortId: string;
  currency: string;
  minimum: number;
  providers: string[];
  lightning?: { address: string; qrSvg: string };
  messages: TipMessageRow[];
  state?: FieldState;
}

/** Under every video: give what you want above the creator's minimum, with an optional public message. */
export function TipWidget(props: TipWidgetProps) {
  const { env, state = {} } = props;
  const { t } = env;
  const minimum = formatMoney(money(props.minimum, props.currency), env.locale);
  return (
    <section class="tip" aria-labelledby="tip-heading" id="tip">
      <h2 id="tip-heading">{t('tip.heading')}</h2>
      <p>{t('tip.intro', { minimum })}</p>
      <FormErrors env={env} state={state} />
      <form method="post" action={`/v/${props.shortId}/tip#tip`} class="stack">
        <CsrfField env={env} />
        <Field env={env} state={state} name="amount" label="tip.amount" hint="tip.amount_hint" required initial={formatMoneyInput(money(props.minimum, props.currency), env.locale)} maxlength={20} />
        <Field env={env} state={state} name="message" label="tip.message" hint="tip.message_hint" multiline maxlength={500} />
        {!env.user && <Field env={env} state={state} name="email" label="tip.email" hint="tip.email_hint" type="email" maxlength={254} />}
        {!env.user && <Field env={env} state={state} name="display_name" label="tip.display_name" maxlength={80} />}
        <label class="choice">
          <input type="checkbox" name="anonymous" checked={state.values?.['anonymous'] === 'on'} /> {t('tip.anonymous')}
        </label>
        {props.providers.length > 1 ? (
          <fieldset>
            <legend>{t('payment.provider')}</legend>
            {props.providers.map((p, i) => (
              <label class="choice">
                <input type="radio" name="provider" value={p} checked={(state.values?.['provider'] ?? props.providers[0]) === p || (!state.values && i === 0)} /> {t(`provider.${p as 'test'}`)}
              </label>
            ))}
          </fieldset>
        ) : (
          <input type="hidden" name="provider" value={props.providers[0] ?? ''} />
        )}
        {props.providers.includes('test') && <p class="hint">{t('tip.test_mode')}</p>}
        <button type="submit">{t('tip.submit')}</button>
      </form>
      {props.lightning && (
        <details class="lightning">
          <summary>{t('tip.lightning', { address: props.lightning.address })}</summary>
          <div class="qr">{raw(props.lightning.qrSvg)}</div>
          <p class="hint">{t('tip.lightning_hint')}</p>
        </details>
      )}
      {props.messages.length > 0 && (
        <>
          <h3>{t('tip.messages')}</h3>
          <ul class="tip-messages">
            {props.messages.map((m) => (
              <li>
                <strong>{m.name ?? t('tip.anonymous_fan')}</strong> — {formatMoney(money(m.amount, m.currency), env.locale)}
                <p>{m.message}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** After the checkout: thanks, and where the payment stands. Refreshes itself while the provider confirms. */
export function TipThanksPage({ env, status, amount, videoUrl, refunding = false }: { env: PageEnv; status: string; amount: string; videoUrl?: string; refunding?: boolean }) {
  const { t } = env;
  // A tip that could not be delivered was charged, then refunded: never "nothing was charged".
  const refunded = refunding || ['refunded', 'disputed'].includes(status);
  const done = status === 'succeeded' && !refunded;
  const failed = ['failed', 'expired'].includes(status);
  const settled = done || failed || refunded;
  return (
    <Layout env={env} title={t('tip.thanks_title')} head={!settled ? <meta http-equiv="refresh" content="3" /> : undefined}>
      <h1>{t('tip.thanks_title')}</h1>
      <p role="status">{t(refunded ? 'tip.thanks_refunded' : done ? 'tip.thanks_done' : failed ? 'tip.thanks_failed' : 'tip.thanks_pending', { amount })}</p>
      {videoUrl && (
        <p>
          <a href={videoUrl}>{t('tip.back_to_video')}</a>
        </p>
      )}
    </Layout>
  );
}

export function TipsStudioPage({ env, handle, pending, settings, state, notice }: { env: PageEnv; handle: string; pending: TipMessageRow[]; settings: { currency: string; minimum: string; lightning: string }; state: FieldState; notice?: MessageKey }) {
  const { t } = env;
  return (
    <StudioLayout env={env} title={t('tip.studio_title')}>
      <h1>{t('tip.studio_title')}</h1>
      <Notice env={env} messageKey={notice} />
      <section aria-labelledby="moderation-heading">
        <h2 id="moderation-heading">{t('tip.moderation')}</h2>
        {pending.length === 0 ? (
          <p class="empty">{t('tip.no_pending')}</p>
        ) : (
          <ul class="tip-messages">
            {pending.map((m) => (
              <li>
                <strong>{m.name ?? t('tip.anonymous_fan')}</strong> — {formatMoney(money(m.amount, m.currency), env.locale)} {m.video_title ? `· ${m.video_title}` : ''}
                <p>{m.message}</p>
                <form method="post" action={`/studio/channels/${handle}/tips/${m.payment_id}/approve`} class="inline">
                  <CsrfField env={env} />
                  <button type="submit">{t('tip.approve')}</button>
                </form>
                <form method="post" action={`/studio/channels/${handle}/tips/${m.payment_id}/reject`} class="inline">
                  <CsrfField env={env} />
                  <button type="submit" class="link-button">{t('tip.reject')}</button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="tip-settings-heading">
        <h2 id="tip-settings-heading">{t('tip.settings')}</h2>
        <FormErrors env={env} state={state} />
        <form method="post" action={`/studio/channels/${handle}/tips/settings`} class="stack">
          <CsrfField env={env} />
          <Field env={env} state={state} name="currency" label="tip.currency" required initial={settings.currency} maxlength={3} />
          <Field env={env} state={state} name="minimum" label="tip.minimum" required initial={settings.minimum} maxlength={20} />
          <Field env={env} state={state} name="lightning_address" label="tip.lightning_address" hint="tip.lightning_address_hint" initial={settings.lightning} maxlength={254} />
          <button type="submit">{t('form.save')}</button>
        </form>
      </section>
    </StudioLayout>
  );
}

/** "My tips": what the signed-in fan gave, to whom, for which video. */
export function MyTipsPage({ env, tips }: { env: PageEnv; tips: FanTipRow[] }) {
  const { t } = env;
  const date = new Intl.DateTimeFormat(env.locale, { dateStyle: 'medium' });
  return (
    <Layout env={env} title={t('tip.mine_title')}>
      <h1>{t('tip.mine_title')}</h1>
      {tips.length === 0 ? (
        <p class="empty">{t('tip.mine_none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('tip.mine_date')}</th>
              <th scope="col">{t('tip.mine_to')}</th>
              <th scope="col">{t('tip.mine_amount')}</th>
            </tr>
          </thead>
          <tbody>
            {tips.map((tip) => (
              <tr>
                <td>{date.format(tip.created_at)}</td>
                <td>
                  <a href={`/c/${tip.channel_handle}`}>{tip.channel_name}</a>
                  {tip.video_short_id && (
                    <>
                      {' · '}
                      <a href={`/v/${tip.video_short_id}`}>{tip.video_title}</a>
                    </>
                  )}
                </td>
                <td>
                  {formatMoney(money(Number(tip.amount), tip.currency), env.locale)}
                  {tip.status !== 'succeeded' && <> ({t('tip.mine_refunded')})</>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
