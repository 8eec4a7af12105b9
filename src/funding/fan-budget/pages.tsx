import { FormErrors, type FieldState } from '../../core/http/fields.js';
import { CsrfField, Layout, Notice, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { StudioLayout } from '../../studio/index.js';
import { formatMoney, formatMoneyInput, money } from '../money.js';
import type { FanBudgetConfig } from './config.js';
import type { ChargeStatus, ClickView } from './queries.js';
import type { BudgetPreview } from './service.js';

export interface SupportWidgetProps {
  env: PageEnv;
  /** Where the toggle posts (`/v/:shortId/support`, `/c/:handle/support`). */
  action: string;
  supported: boolean;
  preview: BudgetPreview | undefined;
}

/** Flattr's button in our words: one click a month per item, undone by clicking again. */
export function SupportWidget({ env, action, supported, preview }: SupportWidgetProps) {
  const { t } = env;
  return (
    <section class="fan-budget-support" aria-label={t('fan_budget.support')}>
      {env.user ? (
        <form method="post" action={action}>
          <CsrfField env={env} />
          <input type="hidden" name="on" value={supported ? 'false' : 'true'} />
          <button type="submit" aria-pressed={supported ? 'true' : 'false'}>{supported ? t('fan_budget.supported') : t('fan_budget.support')}</button>
        </form>
      ) : (
        <p><a href="/login">{t('fan_budget.widget_login')}</a></p>
      )}
      {preview?.each && <p class="hint">{t('fan_budget.widget_summary', { count: preview.clicks.length, each: preview.each })}</p>}
      {env.user && preview?.budget?.status !== 'active' && (
        <p class="hint">
          {t('fan_budget.widget_no_budget')} <a href="/account/budget">{t('fan_budget.setup_link')}</a>
        </p>
      )}
    </section>
  );
}

export interface BudgetPageProps {
  env: PageEnv;
  config: FanBudgetConfig;
  preview: BudgetPreview;
  history: { month: string; amount: number; currency: string; status: ChargeStatus }[];
  state?: FieldState;
  notice?: MessageKey;
}

function itemLabel(env: PageEnv, click: ClickView) {
  return click.video_id ? click.title : env.t('fan_budget.channel_item', { channel: click.channel_name });
}

/** The fan's budget: the amount (choices or free), the live split of this month, undo, past months. */
export function BudgetPage({ env, config, preview, history, state = {}, notice }: BudgetPageProps) {
  const { t, locale } = env;
  const fmt = (amount: number) => formatMoney(money(amount, config.currency), locale);
  const budget = preview.budget;
  const current = state.values?.['choice'] ?? String(budget?.amount ?? config.choices[1] ?? config.minimum);
  return (
    <Layout env={env} title={t('fan_budget.title')}>
      <h1>{t('fan_budget.title')}</h1>
      <Notice env={env} messageKey={notice} />
      <p>{t('fan_budget.intro')}</p>
      {budget && (
        <p class="status" id="budget-status">
          {budget.status === 'active' ? t('fan_budget.status_active', { amount: fmt(budget.amount) }) : budget.status === 'stopped' ? t('fan_budget.status_stopped') : t('fan_budget.status_pending')}
        </p>
      )}
      <FormErrors env={env} state={state} />
      <form method="post" action="/account/budget" class="stack">
        <CsrfField env={env} />
        <fieldset>
          <legend>{t('fan_budget.amount')}</legend>
          {config.choices.map((choice) => (
            <label class="choice">
              <input type="radio" name="choice" value={String(choice)} checked={current === String(choice)} /> {fmt(choice)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('fan_budget.amount_other')}
          <input name="other" inputmode="decimal" maxlength={20} value={state.values?.['other'] ?? (budget && !config.choices.includes(budget.amount) ? formatMoneyInput(money(budget.amount, config.currency), locale) : '')} aria-invalid={state.errors?.['other'] ? 'true' : undefined} />
          <span class="hint">{t('fan_budget.amount_hint', { minimum: fmt(config.minimum) })}</span>
          {state.errors?.['other'] && <span class="field-error">{t(state.errors['other'])}</span>}
        </label>
        <label class="choice">
          <input type="checkbox" name="show_name" checked={budget?.show_name ?? false} /> {t('fan_budget.show_name')}
        </label>
        <button type="submit">{t('fan_budget.save')}</button>
      </form>
      {budget && budget.status !== 'stopped' && (
        <form method="post" action="/account/budget/stop">
          <CsrfField env={env} />
          <input type="hidden" name="stop" value="yes" />
          <button type="submit" class="secondary">{t('fan_budget.stop')}</button>
        </form>
      )}
      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">{t('fan_budget.preview_heading')}</h2>
        <p id="budget-preview">{t('fan_budget.preview', { count: preview.clicks.length, each: preview.each ?? '' })}</p>
        <ul>
          {preview.clicks.map((click) => (
            <li>
              {itemLabel(env, click)}
              <form method="post" action="/account/budget/undo" class="inline">
                <CsrfField env={env} />
                <input type="hidden" name="channel" value={click.channel_id} />
                <input type="hidden" name="video" value={click.video_id ?? ''} />
                <button type="submit" class="link">{t('fan_budget.undo')}</button>
              </form>
            </li>
          ))}
        </ul>
      </section>
      {history.length > 0 && (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">{t('fan_budget.history')}</h2>
          <ul>
            {history.map((h) => (
              <li>{t('fan_budget.history_row', { month: h.month, amount: formatMoney(money(h.amount, h.currency), locale), status: h.status })}</li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

export interface FanBudgetStudioProps {
  env: PageEnv;
  supporters: { title: string; supporters: number; names: string[] }[];
  income: { month: string; title: string; currency: string; gross: number; net: number }[];
}

/** The creator's view: this month's supporters per item, and fan-budget income by month and video. */
export function FanBudgetStudioPage({ env, supporters, income }: FanBudgetStudioProps) {
  const { t, locale } = env;
  return (
    <StudioLayout env={env} title={t('fan_budget.studio_title')}>
      <h2>{t('fan_budget.studio_supporters')}</h2>
      {supporters.length === 0 ? (
        <p>{t('fan_budget.studio_none')}</p>
      ) : (
        <ul>
          {supporters.map((s) => (
            <li>
              {s.title}: {t('fan_budget.studio_supporter_count', { count: s.supporters })}
              {s.names.length > 0 && ` (${s.names.join(', ')}${s.supporters > s.names.length ? `, ${t('fan_budget.studio_anonymous', { count: s.supporters - s.names.length })}` : ''})`}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('fan_budget.studio_income')}</h2>
      {income.length === 0 ? (
        <p>{t('fan_budget.studio_none')}</p>
      ) : (
        <table id="fan-budget-income">
          <thead>
            <tr>
              <th>{t('fan_budget.studio_month')}</th>
              <th>{t('fan_budget.studio_item')}</th>
              <th>{t('fan_budget.studio_gross')}</th>
              <th>{t('fan_budget.studio_net')}</th>
            </tr>
          </thead>
          <tbody>
            {income.map((row) => (
              <tr>
                <td>{row.month}</td>
                <td>{row.title}</td>
                <td>{formatMoney(money(row.gross, row.currency), locale)}</td>
                <td>{formatMoney(money(row.net, row.currency), locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StudioLayout>
  );
}
