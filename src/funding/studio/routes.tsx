import { Hono } from 'hono';
import { requireUser } from '../../accounts/index.js';
import { channelForAdmin, type ChannelRow } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { BadRequestError, NotFoundError } from '../../core/http/errors.js';
import { readForm, textFields } from '../../core/http/form.js';
import { noticeFrom, pageEnv } from '../../core/http/layout.js';
import { channelBalances, latestLedgerCheck, monthlyStatement, revenueBySource, statementCsv } from '../ledger/index.js';
import { dismissPaymentNotice, PaymentNotices, paymentNoticesFor } from '../payments/index.js';
import { findTier, insertTier, listMembers, listTiers, setTierArchived, updateTier, type TierRow } from '../memberships/queries.js';
import { memberFigures } from './member-figures.js';
import { MembersPage } from './member-pages.js';
import { membersCsv } from './members-csv.js';
import { addMonths, compareYearMonth, FIRST_MONTH, formatYearMonth, monthsEndingWith, parseMonthParam, yearMonthIn, type YearMonth } from './month.js';
import { channelCurrency, countLiveMembershipsOfTier } from './queries.js';
import { RevenuePage } from './revenue-page.js';
import { newTierValues, parseTierForm, tierFormValues } from './tier-form.js';
import { TierEditPage, TiersPage, type TierFormState } from './tier-pages.js';

/** Months the revenue chart covers, ending with the month shown. */
const CHART_MONTHS = 12;

/** A CSV download: UTF-8, saved under `filename`, never cached (it is private money data). */
function csvResponse(c: AppContext, body: string, filename: string): Response {
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'private, no-store',
  });
}

/**
 * The creator's money pages in the Studio, mounted under /studio: revenue (statement, balances, chart,
 * CSV), membership tiers (create, edit, archive) and members (figures, list, CSV). Only the site owner
 * and the channel's admins get in: editors and fans get 403, anonymous visitors the login page.
 */
export function fundingStudioRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const env = (c: AppContext) => pageEnv(c, true);
  const timeZone = deps.config.siteTimeZone;

  // No app.use('*') here: mounted under /studio, it would also run for other capabilities' routes.
  const adminChannel = (c: AppContext): Promise<ChannelRow> => {
    requireUser(c);
    return channelForAdmin(deps.db, c.var.user, c.req.param('handle') ?? '');
  };

  /** The `?month=` asked for, or this month; a bad or future month is a 400 with a translated message. */
  const monthOf = (c: AppContext): { month: YearMonth; current: YearMonth } => {
    const current = yearMonthIn(deps.clock.now(), timeZone);
    const parsed = parseMonthParam(c.req.query('month'), current);
    if (!parsed.ok) throw new BadRequestError(parsed.problem === 'future' ? 'studio.revenue.month_future' : 'studio.revenue.month_invalid');
    return { month: parsed.month, current };
  };

  app.get('/channels/:handle/revenue', async (c) => {
    const channel = await adminChannel(c);
    const { month, current } = monthOf(c);
    const [first, last] = monthsEndingWith(month, CHART_MONTHS);
    const previous = addMonths(month, -1);
    const next = addMonths(month, 1);
    return c.html(
      <RevenuePage
        env={env(c)}
        channel={channel}
        month={month}
        previous={compareYearMonth(previous, FIRST_MONTH) >= 0 ? previous : null}
        next={compareYearMonth(next, current) <= 0 ? next : null}
        balances={await channelBalances(deps.db, channel.id)}
        statement={await monthlyStatement(deps.db, channel.id, month.year, month.month, { timeZone })}
        revenue={await revenueBySource(deps.db, channel.id, formatYearMonth(first), formatYearMonth(last), { timeZone })}
        timeZone={timeZone}
        // The books are the site's: the site owner, who can act on a failed self-check, is the one warned.
        ledgerCheck={c.var.user?.siteRole === 'owner' ? await latestLedgerCheck(deps.db) : undefined}
        paymentNotices={
          <PaymentNotices env={env(c)} notices={await paymentNoticesFor(deps.db, channel.id, c.var.user?.siteRole === 'owner')} dismissAction={`/studio/channels/${channel.handle}/revenue/notices`} />
        }
      />,
    );
  });

  // Dismissing a payment notice: it was read; the Studio stops showing it (the row stays).
  app.post('/channels/:handle/revenue/notices/:noticeId/dismiss', async (c) => {
    const channel = await adminChannel(c);
    const dismissed = await dismissPaymentNotice(deps.db, c.req.param('noticeId'), channel.id, c.var.user?.siteRole === 'owner', deps.clock.now());
    if (!dismissed) throw new NotFoundError('payment.notice_not_found');
    return c.redirect(`/studio/channels/${channel.handle}/revenue`, 303);
  });

  app.get('/channels/:handle/revenue.csv', async (c) => {
    const channel = await adminChannel(c);
    const { month } = monthOf(c);
    const statement = await monthlyStatement(deps.db, channel.id, month.year, month.month, { timeZone });
    return csvResponse(c, statementCsv(statement.lines, c.var.locale), `fanfare-${channel.handle}-${formatYearMonth(month)}.csv`);
  });

  const tiersPage = async (c: AppContext, channel: ChannelRow, state: TierFormState, status: 200 | 422 = 200) =>
    c.html(<TiersPage env={env(c)} channel={channel} tiers={await listTiers(deps.db, channel.id, true)} state={state} notice={noticeFrom(c)} />, status);

  /** The tier named in the path, if it belongs to `channel`; any other id is a 404. */
  const tierOf = async (c: AppContext, channel: ChannelRow): Promise<TierRow> => {
    const tier = await findTier(deps.db, c.req.param('tierId') ?? '');
    if (!tier || tier.channel_id !== channel.id) throw new NotFoundError('studio.tiers.not_found');
    return tier;
  };

  app.get('/channels/:handle/tiers', async (c) => {
    const channel = await adminChannel(c);
    return tiersPage(c, channel, { values: newTierValues((await channelCurrency(deps.db, channel.id)) ?? 'EUR') });
  });

  app.post('/channels/:handle/tiers', async (c) => {
    const channel = await adminChannel(c);
    const parsed = parseTierForm(await readForm(c));
    if (!parsed.ok) return tiersPage(c, channel, { values: parsed.values, errors: parsed.errors }, 422);
    await insertTier(deps.db, channel.id, parsed.data);
    return c.redirect(`/studio/channels/${channel.handle}/tiers?notice=tier_created`, 303);
  });

  app.get('/channels/:handle/tiers/:tierId', async (c) => {
    const channel = await adminChannel(c);
    const tier = await tierOf(c, channel);
    return c.html(<TierEditPage env={env(c)} channel={channel} tier={tier} state={{ values: tierFormValues(tier, c.var.locale) }} />);
  });

  app.post('/channels/:handle/tiers/:tierId', async (c) => {
    const channel = await adminChannel(c);
    const tier = await tierOf(c, channel);
    const form = await readForm(c);
    const parsed = parseTierForm(form);
    const reshow = (state: TierFormState) => c.html(<TierEditPage env={env(c)} channel={channel} tier={tier} state={state} />, 422);
    if (!parsed.ok) return reshow({ values: parsed.values, errors: parsed.errors });
    // What members pay is in the tier's currency: switching it under them would change their price's meaning.
    if (parsed.data.currency !== tier.currency && (await countLiveMembershipsOfTier(deps.db, tier.id)) > 0) {
      return reshow({ values: textFields(form), errors: { currency: 'studio.tiers.currency_locked' } });
    }
    await updateTier(deps.db, tier.id, parsed.data);
    return c.redirect(`/studio/channels/${channel.handle}/tiers?notice=tier_saved`, 303);
  });

  for (const [action, archived] of [['archive', true], ['unarchive', false]] as const) {
    app.post(`/channels/:handle/tiers/:tierId/${action}`, async (c) => {
      const channel = await adminChannel(c);
      const tier = await tierOf(c, channel);
      await setTierArchived(deps.db, tier.id, archived);
      return c.redirect(`/studio/channels/${channel.handle}/tiers?notice=${archived ? 'tier_archived' : 'tier_unarchived'}`, 303);
    });
  }

  app.get('/channels/:handle/members', async (c) => {
    const channel = await adminChannel(c);
    const figures = await memberFigures(deps.db, channel.id, deps.clock.now());
    const members = await listMembers(deps.db, channel.id);
    return c.html(<MembersPage env={env(c)} channel={channel} figures={figures} members={members} timeZone={timeZone} />);
  });

  app.get('/channels/:handle/members.csv', async (c) => {
    const channel = await adminChannel(c);
    const members = await listMembers(deps.db, channel.id);
    const day = deps.clock.now().toISOString().slice(0, 10);
    return csvResponse(c, membersCsv(members, c.var.t), `fanfare-${channel.handle}-members-${day}.csv`);
  });

  return app;
}
