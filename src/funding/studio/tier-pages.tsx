// The tiers editor: the channel's tiers (archived ones apart), a form to add one, a page to edit one.
// Tiers are archived, never deleted: members may hold them.
import type { ChannelRow } from '../../channels/index.js';
import { Field, FormErrors } from '../../core/http/fields.js';
import { CsrfField, Notice, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { StudioLayout } from '../../studio/index.js';
import type { TierRow } from '../memberships/queries.js';
import { formatAmount, MoneyTabs } from './components.js';
import { CURRENCY_CODES, MAX_EARLY_ACCESS_DAYS, MAX_RANK } from './tier-form.js';

/** A form shown first (initial values) or again after a refusal (submitted values and errors). */
export interface TierFormState {
  values: Record<string, string>;
  errors?: Record<string, MessageKey>;
}

function fieldProps(env: PageEnv, state: TierFormState, name: string, hint?: MessageKey) {
  const id = `field-${name}`;
  const error = state.errors?.[name];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return {
    id,
    error,
    input: { id, name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy },
    after: (
      <>
        {hint && (
          <p class="hint" id={`${id}-hint`}>
            {env.t(hint)}
          </p>
        )}
        {error && (
          <p class="error" id={`${id}-error`}>
            {env.t(error)}
          </p>
        )}
      </>
    ),
  };
}

/** A text input for an amount: `inputmode=decimal` brings the number pad with a separator on phones. */
function AmountField({ env, state, name, label, hint, required }: { env: PageEnv; state: TierFormState; name: string; label: MessageKey; hint: MessageKey; required?: boolean }) {
  const f = fieldProps(env, state, name, hint);
  return (
    <div class={f.error ? 'field field-error' : 'field'}>
      <label for={f.id}>
        {env.t(label)}
        {!required && <span class="optional"> {env.t('form.optional')}</span>}
      </label>
      <input {...f.input} type="text" inputmode="decimal" autocomplete="off" required={required} maxlength={20} value={state.values[name] ?? ''} />
      {f.after}
    </div>
  );
}

function NumberField({ env, state, name, label, hint, max }: { env: PageEnv; state: TierFormState; name: string; label: MessageKey; hint: MessageKey; max: number }) {
  const f = fieldProps(env, state, name, hint);
  return (
    <div class={f.error ? 'field field-error' : 'field'}>
      <label for={f.id}>{env.t(label)}</label>
      <input {...f.input} type="number" inputmode="numeric" min={0} max={max} step={1} value={state.values[name] ?? '0'} />
      {f.after}
    </div>
  );
}

function CurrencySelect({ env, state }: { env: PageEnv; state: TierFormState }) {
  const f = fieldProps(env, state, 'currency', 'studio.tiers.currency_hint');
  const current = state.values['currency'];
  return (
    <div class={f.error ? 'field field-error' : 'field'}>
      <label for={f.id}>{env.t('studio.tiers.currency')}</label>
      <select {...f.input}>
        {CURRENCY_CODES.map((code) => (
          <option value={code} selected={code === current}>
            {code}
          </option>
        ))}
      </select>
      {f.after}
    </div>
  );
}

function Checkbox({ env, state, name, label }: { env: PageEnv; state: TierFormState; name: string; label: MessageKey }) {
  return (
    <div class="field choice">
      <input type="checkbox" id={`field-${name}`} name={name} value="on" checked={state.values[name] === 'on'} />{' '}
      <label for={`field-${name}`}>{env.t(label)}</label>
    </div>
  );
}

/** The fields of a tier, for adding and for editing. */
function TierForm({ env, state, action, submit }: { env: PageEnv; state: TierFormState; action: string; submit: MessageKey }) {
  const fieldState = { values: state.values, errors: state.errors };
  return (
    <form method="post" action={action} class="stack">
      <CsrfField env={env} />
      <FormErrors env={env} state={fieldState} />
      <Field env={env} state={fieldState} name="name" label="studio.tiers.name" required maxlength={80} />
      <Field env={env} state={fieldState} name="description" label="studio.tiers.description" multiline maxlength={2000} />
      <CurrencySelect env={env} state={state} />
      <AmountField env={env} state={state} name="monthly_price" label="studio.tiers.monthly_price" hint="studio.tiers.price_hint" required />
      <AmountField env={env} state={state} name="yearly_price" label="studio.tiers.yearly_price" hint="studio.tiers.yearly_price_hint" />
      <fieldset>
        <legend>{env.t('studio.tiers.benefits')}</legend>
        <Checkbox env={env} state={state} name="members_only_videos" label="studio.tiers.members_only_videos" />
        <Checkbox env={env} state={state} name="badge" label="studio.tiers.badge" />
        <NumberField env={env} state={state} name="early_access_days" label="studio.tiers.early_access_days" hint="studio.tiers.early_access_hint" max={MAX_EARLY_ACCESS_DAYS} />
      </fieldset>
      <NumberField env={env} state={state} name="rank" label="studio.tiers.rank" hint="studio.tiers.rank_hint" max={MAX_RANK} />
      <button type="submit">{env.t(submit)}</button>
    </form>
  );
}

function Benefits({ env, tier }: { env: PageEnv; tier: TierRow }) {
  const { t } = env;
  const items = [
    tier.members_only_videos ? t('studio.tiers.members_only_videos') : null,
    tier.early_access_days > 0 ? t('studio.tiers.early_access_n', { days: tier.early_access_days }) : null,
    tier.badge ? t('studio.tiers.badge') : null,
  ].filter((x): x is string => x !== null);
  if (items.length === 0) return <>{t('studio.tiers.no_benefits')}</>;
  return (
    <ul>
      {items.map((item) => (
        <li>{item}</li>
      ))}
    </ul>
  );
}

function TierTable({ env, channel, tiers, caption, archived }: { env: PageEnv; channel: ChannelRow; tiers: TierRow[]; caption: string; archived: boolean }) {
  const { t, locale } = env;
  return (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('studio.tiers.name')}</th>
          <th scope="col">{t('studio.tiers.monthly_price')}</th>
          <th scope="col">{t('studio.tiers.yearly_price')}</th>
          <th scope="col">{t('studio.tiers.benefits')}</th>
          <th scope="col">{t('studio.tiers.rank')}</th>
          <th scope="col">{t('studio.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {tiers.map((tier) => {
          const base = `/studio/channels/${channel.handle}/tiers/${tier.id}`;
          return (
            <tr>
              <th scope="row">{tier.name}</th>
              <td>{formatAmount(tier.monthly_price, tier.currency, locale)}</td>
              <td>{tier.yearly_price === null ? t('studio.tiers.no_yearly') : formatAmount(tier.yearly_price, tier.currency, locale)}</td>
              <td>
                <Benefits env={env} tier={tier} />
              </td>
              <td>{tier.rank}</td>
              <td>
                <a href={base} aria-label={t('studio.tiers.edit_named', { name: tier.name })}>
                  {t('studio.tiers.edit')}
                </a>
                <form method="post" action={`${base}/${archived ? 'unarchive' : 'archive'}`}>
                  <CsrfField env={env} />
                  <button type="submit" class="link-button" aria-label={t(archived ? 'studio.tiers.unarchive_named' : 'studio.tiers.archive_named', { name: tier.name })}>
                    {t(archived ? 'studio.tiers.unarchive' : 'studio.tiers.archive')}
                  </button>
                </form>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The channel's tiers and the form to add one (shown again with its errors after a refusal). */
export function TiersPage({ env, channel, tiers, state, notice }: { env: PageEnv; channel: ChannelRow; tiers: TierRow[]; state: TierFormState; notice?: MessageKey }) {
  const { t } = env;
  const title = t('studio.tiers.title_of', { name: channel.name });
  const current = tiers.filter((tier) => !tier.archived);
  const archived = tiers.filter((tier) => tier.archived);
  return (
    <StudioLayout env={env} title={title}>
      <h1>{title}</h1>
      <MoneyTabs env={env} channel={channel} current="tiers" />
      <Notice env={env} messageKey={notice} />
      <section aria-labelledby="tiers-heading">
        <h2 id="tiers-heading">{t('studio.tiers.current')}</h2>
        {current.length === 0 ? (
          <p class="empty">{t('studio.tiers.none')}</p>
        ) : (
          <TierTable env={env} channel={channel} tiers={current} caption={t('studio.tiers.current')} archived={false} />
        )}
      </section>
      {archived.length > 0 && (
        <section aria-labelledby="archived-heading">
          <h2 id="archived-heading">{t('studio.tiers.archived')}</h2>
          <p class="hint">{t('studio.tiers.archived_explain')}</p>
          <TierTable env={env} channel={channel} tiers={archived} caption={t('studio.tiers.archived')} archived />
        </section>
      )}
      <section aria-labelledby="new-tier-heading">
        <h2 id="new-tier-heading">{t('studio.tiers.new')}</h2>
        <TierForm env={env} state={state} action={`/studio/channels/${channel.handle}/tiers`} submit="studio.tiers.create" />
      </section>
    </StudioLayout>
  );
}

/** One tier's edit form. */
export function TierEditPage({ env, channel, tier, state }: { env: PageEnv; channel: ChannelRow; tier: TierRow; state: TierFormState }) {
  const { t } = env;
  const title = t('studio.tiers.edit_title', { name: tier.name });
  return (
    <StudioLayout env={env} title={title}>
      <h1>{title}</h1>
      <MoneyTabs env={env} channel={channel} current="tiers" />
      {tier.archived && <p class="notice notice-info">{t('studio.tiers.is_archived')}</p>}
      <TierForm env={env} state={state} action={`/studio/channels/${channel.handle}/tiers/${tier.id}`} submit="form.save" />
      <p>
        <a href={`/studio/channels/${channel.handle}/tiers`}>{t('studio.tiers.back')}</a>
      </p>
    </StudioLayout>
  );
}
