import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { Field, FormErrors, type FieldState } from '../../core/http/fields.js';
import { CsrfField, Layout, Notice, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { StudioLayout } from '../../studio/index.js';
import { formatMoney, formatMoneyInput, money } from '../money.js';
import type { CampaignRow, PledgeRow, PledgeStatus, RewardRow, SettlementRow, StretchGoalRow } from './queries.js';
import { wallTimeIn } from './zones.js';

const STATUS_KEYS: Record<PledgeStatus, MessageKey> = {
  pending: 'campaign.status.pending',
  pledged: 'campaign.status.pledged',
  charging: 'campaign.status.charging',
  collected: 'campaign.status.collected',
  errored: 'campaign.status.errored',
  authentication_required: 'campaign.status.authentication_required',
  dropped: 'campaign.status.dropped',
  cancelled: 'campaign.status.cancelled',
  released: 'campaign.status.released',
  refunded: 'campaign.status.refunded',
  disputed: 'campaign.status.disputed',
};

const STATE_KEYS: Record<CampaignRow['state'], MessageKey> = {
  draft: 'campaign.state.draft',
  live: 'campaign.state.live',
  successful: 'campaign.state.successful',
  failed: 'campaign.state.failed',
  cancelled: 'campaign.state.cancelled',
};

export const statusLabel = (env: PageEnv, status: PledgeStatus): string => env.t(STATUS_KEYS[status]);

const amountText = (env: PageEnv, amount: number, currency: string) => formatMoney(money(amount, currency), env.locale);

/** The deadline in the campaign's zone (as the creator set it) and in UTC; the page's script adds the reader's own. */
function Deadline({ env, campaign }: { env: PageEnv; campaign: CampaignRow }) {
  const inZone = new Intl.DateTimeFormat(env.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: campaign.time_zone }).format(campaign.deadline);
  return (
    <time datetime={campaign.deadline.toISOString()} data-local-time>
      {env.t('campaign.deadline_at', { when: inZone, zone: campaign.time_zone })}
    </time>
  );
}

export interface Progress {
  amount: number;
  backers: number;
}

/** The bar, the totals and the time left. */
export function ProgressBlock({ env, campaign, totals, now }: { env: PageEnv; campaign: CampaignRow; totals: Progress; now: Date }) {
  const current = campaign.goal_kind === 'amount' ? totals.amount : totals.backers;
  const percent = Math.floor((current * 100) / campaign.goal);
  const msLeft = campaign.deadline.getTime() - now.getTime();
  return (
    <div class="campaign-progress">
      <progress max={100} value={Math.min(100, percent)} aria-label={env.t('campaign.progress_label')}>
        {percent}%
      </progress>
      <p>
        <strong>{amountText(env, totals.amount, campaign.currency)}</strong> · {env.t('campaign.backers_count', { count: totals.backers })} ·{' '}
        {env.t('campaign.percent_of_goal', { percent, goal: campaign.goal_kind === 'amount' ? amountText(env, campaign.goal, campaign.currency) : env.t('campaign.backers_count', { count: campaign.goal }) })}
      </p>
      {campaign.state === 'live' && msLeft > 0 ? (
        <p class="countdown" data-deadline={campaign.deadline.toISOString()}>
          {env.t('campaign.time_left', { days: Math.floor(msLeft / 86_400_000), hours: Math.floor((msLeft % 86_400_000) / 3_600_000) })} — <Deadline env={env} campaign={campaign} />
        </p>
      ) : (
        <p>{env.t(STATE_KEYS[campaign.state])}</p>
      )}
    </div>
  );
}

export interface CampaignPageProps {
  env: PageEnv;
  handle: string;
  campaign: CampaignRow;
  totals: Progress;
  rewards: RewardRow[];
  stretchGoals: StretchGoalRow[];
  descriptionHtml: string;
  faqHtml: string;
  pledge?: PledgeRow;
  providers: string[];
  now: Date;
  state?: FieldState;
  notice?: MessageKey;
  canFix: boolean;
}

/** The public page: pitch, progress, countdown, rewards with what remains, stretch goals, FAQ, the fan's pledge. */
export function CampaignPage(props: CampaignPageProps) {
  const { env, campaign, state = {} } = props;
  const { t } = env;
  const base = `/c/${props.handle}/campaigns/${campaign.slug}`;
  const open = campaign.state === 'live' && campaign.deadline > props.now;
  return (
    <Layout env={env} title={campaign.title}>
      <article class="campaign stack">
        <h1>{campaign.title}</h1>
        <Notice env={env} messageKey={props.notice} />
        <ProgressBlock env={env} campaign={campaign} totals={props.totals} now={props.now} />
        <div class="markdown">{raw(props.descriptionHtml)}</div>
        <section aria-labelledby="rewards-heading">
          <h2 id="rewards-heading">{t('campaign.rewards')}</h2>
          <ul class="rewards">
            {props.rewards.map((r) => (
              <li>
                <strong>{r.title}</strong> — {amountText(env, r.price, campaign.currency)}
                {r.quantity !== null && <span class="remaining"> · {t('campaign.remaining', { count: r.quantity - r.claimed, total: r.quantity })}</span>}
                {r.delivery_month && <span> · {t('campaign.delivery', { month: r.delivery_month })}</span>}
                {r.description && <p>{r.description}</p>}
              </li>
            ))}
          </ul>
        </section>
        {props.stretchGoals.length > 0 && (
          <section aria-labelledby="stretch-heading">
            <h2 id="stretch-heading">{t('campaign.stretch_goals')}</h2>
            <ul>
              {props.stretchGoals.map((g) => {
                const reached = g.kind === 'amount' ? props.totals.amount >= g.threshold : props.totals.backers >= g.threshold;
                return (
                  <li class={reached ? 'reached' : undefined}>
                    {g.kind === 'amount' ? amountText(env, g.threshold, campaign.currency) : t('campaign.backers_count', { count: g.threshold })}: {g.description}
                    {reached && <strong> ✓ {t('campaign.stretch_reached')}</strong>}
                  </li>
                );
              })}
            </ul>
          </section>
        )}
        <section id="pledge" aria-labelledby="pledge-heading">
          <h2 id="pledge-heading">{t('campaign.your_pledge')}</h2>
          <FormErrors env={env} state={state} />
          {props.pledge && props.pledge.status !== 'pending' ? (
            <YourPledge {...props} base={base} open={open} />
          ) : open ? (
            env.user ? (
              <PledgeForm {...props} base={base} />
            ) : (
              <p>
                <a href={`/login?next=${encodeURIComponent(base)}`}>{t('campaign.sign_in_to_back')}</a>
              </p>
            )
          ) : (
            <p>{t('campaign.closed')}</p>
          )}
        </section>
        {campaign.faq && (
          <section aria-labelledby="faq-heading">
            <h2 id="faq-heading">{t('campaign.faq')}</h2>
            <div class="markdown">{raw(props.faqHtml)}</div>
          </section>
        )}
      </article>
    </Layout>
  );
}

function RewardChoice({ env, rewards, currency, selected }: { env: PageEnv; rewards: RewardRow[]; currency: string; selected: string }) {
  return (
    <fieldset>
      <legend>{env.t('campaign.reward')}</legend>
      <label class="choice">
        <input type="radio" name="reward" value="" checked={selected === ''} /> {env.t('campaign.no_reward')}
      </label>
      {rewards.map((r) => {
        const soldOut = r.quantity !== null && r.claimed >= r.quantity;
        return (
          <label class="choice">
            <input type="radio" name="reward" value={r.id} checked={selected === r.id} disabled={soldOut && selected !== r.id} /> {r.title} — {amountText(env, r.price, currency)}
            {soldOut && ` (${env.t('campaign.sold_out')})`}
          </label>
        );
      })}
    </fieldset>
  );
}

function PledgeForm(props: CampaignPageProps & { base: string }) {
  const { env, campaign, state = {} } = props;
  return (
    <form method="post" action={`${props.base}/pledge#pledge`} class="stack">
      <CsrfField env={env} />
      <p>{env.t('campaign.pledge_intro', { minimum: amountText(env, campaign.min_pledge, campaign.currency) })}</p>
      <RewardChoice env={env} rewards={props.rewards} currency={campaign.currency} selected={state.values?.['reward'] ?? ''} />
      <Field env={env} state={state} name="amount" label="campaign.amount" required initial={formatMoneyInput(money(campaign.min_pledge, campaign.currency), env.locale)} maxlength={20} />
      {props.providers.length > 1 ? (
        <fieldset>
          <legend>{env.t('payment.provider')}</legend>
          {props.providers.map((p, i) => (
            <label class="choice">
              <input type="radio" name="provider" value={p} checked={i === 0} /> {env.t(`provider.${p as 'test'}`)}
            </label>
          ))}
        </fieldset>
      ) : (
        <input type="hidden" name="provider" value={props.providers[0] ?? ''} />
      )}
      <button type="submit">{env.t('campaign.back_submit')}</button>
    </form>
  );
}

function YourPledge(props: CampaignPageProps & { base: string; open: boolean }) {
  const { env, campaign, pledge } = props;
  const p = pledge!;
  return (
    <div class="stack">
      <p data-pledge-status={p.status}>
        {env.t('campaign.pledge_state', { amount: amountText(env, p.amount, p.currency), status: statusLabel(env, p.status) })}
      </p>
      {props.canFix && (
        <p>
          <a class="button" href={`${props.base}/fix`}>
            {env.t('campaign.fix_payment')}
          </a>
        </p>
      )}
      {props.open && p.status === 'pledged' && (
        <>
          <form method="post" action={`${props.base}/pledge/change#pledge`} class="stack">
            <CsrfField env={env} />
            <RewardChoice env={env} rewards={props.rewards} currency={campaign.currency} selected={props.state?.values?.['reward'] ?? p.reward_id ?? ''} />
            <Field env={env} state={props.state ?? {}} name="amount" label="campaign.amount" required initial={formatMoneyInput(money(p.amount, p.currency), env.locale)} maxlength={20} />
            <button type="submit">{env.t('campaign.change_pledge')}</button>
          </form>
          <form method="post" action={`${props.base}/pledge/cancel#pledge`}>
            <CsrfField env={env} />
            <button type="submit" class="secondary">
              {env.t('campaign.cancel_pledge')}
            </button>
          </form>
        </>
      )}
    </div>
  );
}

/** "Fix payment": pay the pledge now, with the fan present (a card that needs authentication passes here). */
export function FixPaymentPage({ env, campaign, pledge, base, retryAt }: { env: PageEnv; campaign: CampaignRow; pledge: PledgeRow; base: string; retryAt: Date }) {
  return (
    <Layout env={env} title={env.t('campaign.fix_payment')}>
      <h1>{env.t('campaign.fix_payment')}</h1>
      <p>{env.t('campaign.fix_intro', { title: campaign.title, amount: amountText(env, pledge.amount, pledge.currency), until: `${wallTimeIn(retryAt, campaign.time_zone).replace('T', ' ')} (${campaign.time_zone})` })}</p>
      <form method="post" action={`${base}/fix`}>
        <CsrfField env={env} />
        <button type="submit">{env.t('campaign.fix_submit', { amount: amountText(env, pledge.amount, pledge.currency) })}</button>
      </form>
    </Layout>
  );
}

/** On the channel page: its campaigns that are live or ended, with their progress. */
export function ChannelCampaigns({ env, handle, items, now }: { env: PageEnv; handle: string; items: { campaign: CampaignRow; totals: Progress }[]; now: Date }) {
  if (items.length === 0) return null;
  return (
    <section class="channel-campaigns" aria-labelledby="campaigns-heading">
      <h2 id="campaigns-heading">{env.t('campaign.channel_heading')}</h2>
      <ul>
        {items.map(({ campaign, totals }) => (
          <li>
            <a href={`/c/${handle}/campaigns/${campaign.slug}`}>{campaign.title}</a>
            <ProgressBlock env={env} campaign={campaign} totals={totals} now={now} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Under the pitch video: back the campaign. */
export function BackButton({ env, handle, campaign }: { env: PageEnv; handle: string; campaign: CampaignRow }) {
  return (
    <p class="campaign-back">
      <a class="button" href={`/c/${handle}/campaigns/${campaign.slug}#pledge`}>
        {env.t('campaign.back_this', { title: campaign.title })}
      </a>
    </p>
  );
}

/** The fan's pledges and their states (account area). */
export function MyPledgesPage({ env, pledges }: { env: PageEnv; pledges: (PledgeRow & { title: string; slug: string; handle: string })[] }) {
  return (
    <Layout env={env} title={env.t('campaign.my_pledges')}>
      <h1>{env.t('campaign.my_pledges')}</h1>
      {pledges.length === 0 ? (
        <p>{env.t('campaign.no_pledges')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{env.t('campaign.title')}</th>
              <th>{env.t('campaign.amount')}</th>
              <th>{env.t('campaign.status')}</th>
            </tr>
          </thead>
          <tbody>
            {pledges.map((p) => (
              <tr>
                <td>
                  <a href={`/c/${p.handle}/campaigns/${p.slug}`}>{p.title}</a>
                </td>
                <td>{amountText(env, p.amount, p.currency)}</td>
                <td data-pledge-status={p.status}>{statusLabel(env, p.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

// ——— Studio ———

function CampaignFormFields({ env, state, campaign }: { env: PageEnv; state: FieldState; campaign?: CampaignRow }) {
  const c = campaign;
  const goalInitial = c ? (c.goal_kind === 'amount' ? formatMoneyInput(money(c.goal, c.currency), env.locale) : String(c.goal)) : '';
  const kind = state.values?.['goal_kind'] ?? c?.goal_kind ?? 'amount';
  return (
    <>
      <Field env={env} state={state} name="title" label="campaign.title" required maxlength={120} initial={c?.title} />
      <Field env={env} state={state} name="slug" label="campaign.slug" hint="campaign.slug_hint" required maxlength={60} initial={c?.slug} />
      <Field env={env} state={state} name="description" label="campaign.description" hint="campaign.markdown_hint" multiline maxlength={20000} initial={c?.description} />
      <Field env={env} state={state} name="faq" label="campaign.faq" hint="campaign.markdown_hint" multiline maxlength={20000} initial={c?.faq} />
      <fieldset>
        <legend>{env.t('campaign.goal_kind')}</legend>
        <label class="choice">
          <input type="radio" name="goal_kind" value="amount" checked={kind === 'amount'} /> {env.t('campaign.goal_amount')}
        </label>
        <label class="choice">
          <input type="radio" name="goal_kind" value="backers" checked={kind === 'backers'} /> {env.t('campaign.goal_backers')}
        </label>
      </fieldset>
      <Field env={env} state={state} name="goal" label="campaign.goal" required maxlength={20} initial={goalInitial} />
      <Field env={env} state={state} name="currency" label="campaign.currency" required maxlength={3} initial={c?.currency ?? 'EUR'} />
      <Field env={env} state={state} name="min_pledge" label="campaign.min_pledge" required maxlength={20} initial={c ? formatMoneyInput(money(c.min_pledge, c.currency), env.locale) : ''} />
      <Field env={env} state={state} name="deadline" label="campaign.deadline" hint="campaign.deadline_hint" required maxlength={16} initial={c ? wallTimeIn(c.deadline, c.time_zone) : ''} />
      <Field env={env} state={state} name="time_zone" label="campaign.time_zone" hint="campaign.time_zone_hint" required maxlength={64} initial={c?.time_zone ?? 'Europe/Paris'} />
      <Field env={env} state={state} name="pitch_video" label="campaign.pitch_video" hint="campaign.pitch_video_hint" maxlength={40} initial={state.values?.['pitch_video'] ?? ''} />
    </>
  );
}

export function StudioCampaignsPage({ env, handle, campaigns, state = {} }: { env: PageEnv; handle: string; campaigns: CampaignRow[]; state?: FieldState }) {
  return (
    <StudioLayout env={env} title={env.t('campaign.studio_title')}>
      <h1>{env.t('campaign.studio_title')}</h1>
      <ul>
        {campaigns.map((c) => (
          <li>
            <a href={`/studio/channels/${handle}/campaigns/${c.id}`}>{c.title}</a> — {env.t(STATE_KEYS[c.state])}
          </li>
        ))}
      </ul>
      <h2>{env.t('campaign.new')}</h2>
      <FormErrors env={env} state={state} />
      <form method="post" action={`/studio/channels/${handle}/campaigns`} class="stack">
        <CsrfField env={env} />
        <CampaignFormFields env={env} state={state} />
        <button type="submit">{env.t('campaign.create')}</button>
      </form>
    </StudioLayout>
  );
}

export interface StudioCampaignProps {
  env: PageEnv;
  handle: string;
  campaign: CampaignRow;
  totals: Progress;
  rewards: RewardRow[];
  stretchGoals: StretchGoalRow[];
  backers: (PledgeRow & { email: string | null; reward_title: string | null })[];
  videos: { id: string; title: string }[];
  settlement?: SettlementRow;
  state?: FieldState;
  notice?: MessageKey;
  now: Date;
}

export function StudioCampaignPage(props: StudioCampaignProps) {
  const { env, campaign, state = {} } = props;
  const { t } = env;
  const base = `/studio/channels/${props.handle}/campaigns/${campaign.id}`;
  const action = (path: string, label: MessageKey, extra?: Child) => (
    <form method="post" action={`${base}/${path}`} class="stack">
      <CsrfField env={env} />
      {extra}
      <button type="submit">{t(label)}</button>
    </form>
  );
  return (
    <StudioLayout env={env} title={campaign.title}>
      <h1>{campaign.title}</h1>
      <Notice env={env} messageKey={props.notice} />
      <p data-campaign-state={campaign.state}>{t(STATE_KEYS[campaign.state])}</p>
      <p>
        <a href={`/c/${props.handle}/campaigns/${campaign.slug}`}>{t('campaign.public_page')}</a>
      </p>
      <ProgressBlock env={env} campaign={campaign} totals={props.totals} now={props.now} />
      <FormErrors env={env} state={state} />
      {(campaign.state === 'draft' || campaign.state === 'live') && (
        <form method="post" action={base} class="stack">
          <CsrfField env={env} />
          {campaign.state === 'live' && <p class="hint">{t('campaign.live_locked_hint')}</p>}
          <CampaignFormFields env={env} state={state} campaign={campaign} />
          <button type="submit">{t('campaign.save')}</button>
        </form>
      )}
      {campaign.state === 'draft' && action('launch', 'campaign.launch')}
      {campaign.state === 'live' && !campaign.extended &&
        action('extend', 'campaign.extend', <Field env={env} state={state} name="new_deadline" label="campaign.new_deadline" hint="campaign.extend_hint" required maxlength={16} />)}
      {(campaign.state === 'draft' || campaign.state === 'live') && action('cancel', 'campaign.cancel')}
      <h2>{t('campaign.rewards')}</h2>
      <ul>
        {props.rewards.map((r) => (
          <li>
            {r.title} — {amountText(env, r.price, campaign.currency)} {r.quantity !== null && `(${r.claimed}/${r.quantity})`}
            {r.claimed === 0 && action(`rewards/${r.id}/delete`, 'campaign.delete')}
          </li>
        ))}
      </ul>
      {(campaign.state === 'draft' || campaign.state === 'live') &&
        action(
          'rewards',
          'campaign.add_reward',
          <>
            <Field env={env} state={state} name="reward_title" label="campaign.title" required maxlength={120} />
            <Field env={env} state={state} name="reward_price" label="campaign.price" required maxlength={20} />
            <Field env={env} state={state} name="reward_quantity" label="campaign.quantity" hint="campaign.quantity_hint" maxlength={9} />
            <Field env={env} state={state} name="reward_delivery" label="campaign.delivery_month" hint="campaign.delivery_month_hint" maxlength={7} />
            <Field env={env} state={state} name="reward_description" label="campaign.description" multiline maxlength={4000} />
          </>,
        )}
      <h2>{t('campaign.stretch_goals')}</h2>
      <ul>
        {props.stretchGoals.map((g) => (
          <li>
            {g.kind === 'amount' ? amountText(env, g.threshold, campaign.currency) : t('campaign.backers_count', { count: g.threshold })}: {g.description}
          </li>
        ))}
      </ul>
      {(campaign.state === 'draft' || campaign.state === 'live') &&
        action(
          'stretch-goals',
          'campaign.add_stretch_goal',
          <>
            <Field env={env} state={state} name="stretch_threshold" label="campaign.stretch_threshold" hint="campaign.stretch_threshold_hint" required maxlength={20} />
            <Field env={env} state={state} name="stretch_description" label="campaign.description" required maxlength={2000} />
          </>,
        )}
      <h2>{t('campaign.videos')}</h2>
      <p class="hint">{t('campaign.videos_hint')}</p>
      <ul>
        {props.videos.map((v) => (
          <li>
            {v.title} {action(`videos/${v.id}/delete`, 'campaign.detach_video')}
          </li>
        ))}
      </ul>
      {action('videos', 'campaign.attach_video', <Field env={env} state={state} name="video" label="campaign.video_link" hint="campaign.pitch_video_hint" required maxlength={200} />)}
      <h2>{t('campaign.backers')}</h2>
      {props.settlement?.report && (
        <p data-settlement-stage={props.settlement.stage}>
          {t('campaign.collected_total', { amount: amountText(env, props.settlement.report.collectedAmount, campaign.currency) })}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>{t('campaign.backer')}</th>
            <th>{t('campaign.reward')}</th>
            <th>{t('campaign.amount')}</th>
            <th>{t('campaign.status')}</th>
          </tr>
        </thead>
        <tbody>
          {props.backers.map((b) => (
            <tr>
              <td>{b.email ?? '—'}</td>
              <td>{b.reward_title ?? '—'}</td>
              <td>{amountText(env, b.amount, b.currency)}</td>
              <td data-pledge-status={b.status}>{statusLabel(env, b.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </StudioLayout>
  );
}
