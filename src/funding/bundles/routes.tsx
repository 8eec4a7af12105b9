import { Hono, type Context } from 'hono';
import { findChannelById } from '../../channels/index.js';
import { hashToken } from '../../core/crypto.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/http/errors.js';
import { readForm, textFields } from '../../core/http/form.js';
import { pageEnv } from '../../core/http/layout.js';
import { serveStoredFile } from '../../core/storage/index.js';
import { TORRENT_TYPE } from '../../downloads/index.js';
import { findPayment } from '../payments/queries.js';
import type { PaymentServices } from '../payments/services.js';
import { bundleTorrentFor, ensureBundleTorrent, torrentName } from './bundle-torrents.js';
import { AccessPage, BundlePage, ConfirmPage, LibraryPage, MessagePage, PaidPage, type FileLink, type TorrentLink } from './pages.js';
import * as q from './queries.js';
import { accessPath, canDownload, confirmEmailUnlock, resolveFiles, startBundlePayment, startEmailUnlock, type ResolvedFile } from './service.js';
import { expiryFrom, LINK_SECONDS, signedQuery, verify } from './signing.js';
import { zipStream } from './zip.js';

const SLUG = /^[a-z0-9][a-z0-9-]{1,59}$/;

async function publishedBundle(deps: AppDeps, slug: string): Promise<q.BundleRow> {
  const bundle = SLUG.test(slug) ? await q.findBundleBySlug(deps.db, slug) : undefined;
  if (!bundle || !bundle.published) throw new NotFoundError('bundle.not_found');
  return bundle;
}

/** The unlock a signed query (`u`, `e`, `s`) grants for `grant`, checked; 403 with a clear message otherwise. */
async function signedUnlock(deps: AppDeps, c: Context<AppEnv>, grant: (unlockId: string) => Parameters<typeof verify>[1]): Promise<q.UnlockRow> {
  const unlockId = c.req.query('u') ?? '';
  verify(deps.signingSecret, grant(unlockId), c.req.query('e'), c.req.query('s'), deps.clock.now());
  const unlock = await q.findUnlock(deps.db, unlockId);
  if (!unlock || unlock.status !== 'unlocked') throw new ForbiddenError('bundle.link_invalid', 'link_invalid');
  return unlock;
}

function fileLinks(deps: AppDeps, files: ResolvedFile[], unlock: q.UnlockRow | undefined): FileLink[] {
  const expires = expiryFrom(deps.clock.now(), LINK_SECONDS);
  return files.map((file) => {
    let href: string | undefined;
    if (file.access === 'free') href = `/bundles/files/${file.id}`;
    else if (unlock && canDownload(file, unlock)) href = `/bundles/files/${file.id}?${signedQuery(deps.signingSecret, { kind: 'file', fileId: file.id, unlockId: unlock.id }, expires)}`;
    return { file: { ...file, length: file.length }, href };
  });
}

function torrentLinks(deps: AppDeps, bundle: q.BundleRow, rows: q.BundleTorrentRow[], unlock: q.UnlockRow | undefined): TorrentLink[] {
  const expires = expiryFrom(deps.clock.now(), LINK_SECONDS);
  return rows
    .filter((row) => row.access === 'free' || (unlock && canDownload({ access: row.access }, unlock)))
    .map((row) => {
      const query = row.access === 'free' || !unlock ? '' : `?${signedQuery(deps.signingSecret, { kind: 'seed', bundleId: bundle.id, access: row.access, unlockId: unlock.id }, expires)}`;
      return { access: row.access, href: `/bundles/torrents/${bundle.id}/${row.access}.torrent${query}`, magnet: bundleTorrentFor(deps, bundle, row, unlock?.id).magnet };
    });
}

async function torrentRows(deps: AppDeps, bundle: q.BundleRow, files: ResolvedFile[]): Promise<q.BundleTorrentRow[]> {
  const rows: q.BundleTorrentRow[] = [];
  for (const access of ['free', 'locked', 'bonus'] as const) {
    const row = await ensureBundleTorrent(deps, bundle, access, files);
    if (row) rows.push(row);
  }
  return rows;
}

/**
 * The bundle pages (public), the fan's library (account), and the downloads (media area: files, ZIP,
 * torrents, web seeds), each checked against a signed, expiring grant for locked and bonus files.
 */
export function bundleRoutes(deps: AppDeps, services: PaymentServices) {
  const pages = new Hono<AppEnv>();
  const account = new Hono<AppEnv>();
  const media = new Hono<AppEnv>();

  const showBundle = async (c: AppContext, bundle: q.BundleRow, extra: { emailState?: Record<string, unknown>; payState?: Record<string, unknown> } = {}, status: 200 | 422 = 200) => {
    const files = await resolveFiles(deps, await q.listFiles(deps.db, bundle.id));
    const channel = await findChannelById(deps.db, bundle.channel_id);
    const free = await ensureBundleTorrent(deps, bundle, 'free', files);
    return c.html(
      <BundlePage
        env={pageEnv(c)}
        bundle={bundle}
        channelName={channel?.name ?? ''}
        coverUrl={bundle.cover_key ? `/bundles/cover/${bundle.id}` : undefined}
        files={fileLinks(deps, files, undefined)}
        torrents={free ? torrentLinks(deps, bundle, [free], undefined) : []}
        average={await q.averagePaid(deps.db, bundle.id)}
        providers={services.enabled}
        emailState={extra.emailState as never}
        payState={extra.payState as never}
      />,
      status,
    );
  };

  // Before /b/:slug, which would take "confirm" for a slug (the Studio refuses that slug too).
  const linkProblem = (c: AppContext, reason: 'invalid' | 'expired' | 'used') => {
    const message = reason === 'used' ? 'bundle.link_used' : reason === 'expired' ? 'bundle.link_expired_page' : 'bundle.link_unknown';
    return c.html(<MessagePage env={pageEnv(c)} title={c.var.t('bundle.confirm_heading')} message={message} />, reason === 'invalid' ? 404 : 410);
  };

  pages.get('/b/confirm', async (c) => {
    const token = c.req.query('token') ?? '';
    const unlock = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await q.findUnlockByToken(deps.db, hashToken(token)) : undefined;
    const bundle = unlock && (await q.findBundle(deps.db, unlock.bundle_id));
    if (!unlock || !bundle) return linkProblem(c, 'invalid');
    if (unlock.status === 'unlocked') return linkProblem(c, 'used');
    if (unlock.token_expires_at && unlock.token_expires_at < deps.clock.now()) return linkProblem(c, 'expired');
    return c.html(<ConfirmPage env={pageEnv(c)} bundle={bundle} token={token} />);
  });

  pages.post('/b/confirm', async (c) => {
    const form = textFields(await readForm(c));
    const outcome = await confirmEmailUnlock(deps, form['token'] ?? '');
    if (!outcome.ok) return linkProblem(c, outcome.reason);
    return c.redirect(accessPath(deps, outcome.bundle, outcome.unlock.id), 303);
  });

  pages.get('/b/:slug', async (c) => showBundle(c, await publishedBundle(deps, c.req.param('slug'))));

  pages.post('/b/:slug/unlock/email', async (c) => {
    const bundle = await publishedBundle(deps, c.req.param('slug'));
    const form = await readForm(c);
    try {
      await startEmailUnlock(deps, bundle, textFields(form), c.var.user ?? null, c.var.locale);
    } catch (error) {
      if (error instanceof ValidationError) return showBundle(c, bundle, { emailState: { errors: error.fields, values: textFields(form) } }, 422);
      throw error;
    }
    return c.html(<MessagePage env={pageEnv(c)} title={bundle.title} message="bundle.email_sent" back={`/b/${bundle.slug}`} />);
  });

  pages.post('/b/:slug/unlock/pay', async (c) => {
    const bundle = await publishedBundle(deps, c.req.param('slug'));
    const form = textFields(await readForm(c));
    try {
      const { redirectUrl } = await startBundlePayment(deps, services, bundle, {
        amountInput: form['amount'] ?? '',
        email: form['email'] ?? '',
        provider: form['provider'] ?? '',
        user: c.var.user ?? null,
        locale: c.var.locale,
      });
      return c.redirect(redirectUrl, 303);
    } catch (error) {
      if (error instanceof ValidationError) return showBundle(c, bundle, { payState: { errors: error.fields, values: form } }, 422);
      throw error;
    }
  });

  pages.get('/b/:slug/paid/:paymentId', async (c) => {
    const bundle = await publishedBundle(deps, c.req.param('slug'));
    const payment = await findPayment(deps.db, c.req.param('paymentId'));
    const unlock = payment?.purpose === 'bundle' ? await q.findUnlockByPayment(deps.db, payment.id) : undefined;
    if (!payment || !unlock || unlock.bundle_id !== bundle.id) throw new NotFoundError();
    if (unlock.status === 'unlocked') return c.redirect(accessPath(deps, bundle, unlock.id), 303);
    const failed = ['failed', 'expired', 'refunded'].includes(payment.status);
    return c.html(<PaidPage env={pageEnv(c)} bundle={bundle} status={failed ? 'failed' : 'pending'} />);
  });

  pages.get('/b/:slug/access', async (c) => {
    const bundle = SLUG.test(c.req.param('slug')) ? await q.findBundleBySlug(deps.db, c.req.param('slug')) : undefined;
    if (!bundle) throw new NotFoundError('bundle.not_found');
    const unlock = await signedUnlock(deps, c, (unlockId) => ({ kind: 'access', bundleId: bundle.id, unlockId }));
    if (unlock.bundle_id !== bundle.id) throw new ForbiddenError('bundle.link_invalid', 'link_invalid');
    const files = await resolveFiles(deps, await q.listFiles(deps.db, bundle.id));
    const expires = expiryFrom(deps.clock.now(), LINK_SECONDS);
    const zipHref = `/bundles/zip/${bundle.id}?${signedQuery(deps.signingSecret, { kind: 'zip', bundleId: bundle.id, unlockId: unlock.id }, expires)}`;
    const torrents = torrentLinks(deps, bundle, await torrentRows(deps, bundle, files), unlock);
    c.header('Cache-Control', 'private, no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(<AccessPage env={pageEnv(c)} bundle={bundle} files={fileLinks(deps, files, unlock)} zipHref={zipHref} torrents={torrents} bonus={unlock.bonus} />);
  });

  account.get('/library', async (c) => {
    const user = c.var.user!;
    const unlocks = await q.listUnlocksOf(deps.db, user.id, user.email);
    const items = unlocks.map((u) => ({ title: u.title, href: accessPath(deps, { id: u.bundle_id, slug: u.slug }, u.id) }));
    return c.html(<LibraryPage env={pageEnv(c)} items={items} />);
  });

  // Downloads. Free files need no signature; locked and bonus ones need the fan's grant, and their unlock.
  media.on(['GET', 'HEAD'], '/bundles/files/:fileId', async (c) => {
    const file = await q.findFile(deps.db, c.req.param('fileId'));
    const bundle = file && (await q.findBundle(deps.db, file.bundle_id));
    if (!file || !bundle) throw new NotFoundError();
    let priv = false;
    if (file.access === 'free') {
      if (!bundle.published) throw new NotFoundError('bundle.not_found');
    } else {
      const unlock = await signedUnlock(deps, c, (unlockId) => ({ kind: 'file', fileId: file.id, unlockId }));
      if (unlock.bundle_id !== bundle.id || !canDownload(file, unlock)) throw new ForbiddenError('bundle.link_invalid', 'link_invalid');
      priv = true;
    }
    const [resolved] = await resolveFiles(deps, [file]);
    if (!resolved) throw new NotFoundError();
    c.header('Content-Disposition', `attachment; filename="${file.filename}"`);
    return serveStoredFile(c, deps.storage, resolved.key, { contentType: file.content_type, cacheControl: priv ? 'private, max-age=3600' : 'public, max-age=3600' });
  });

  media.get('/bundles/zip/:bundleId', async (c) => {
    const bundle = await q.findBundle(deps.db, c.req.param('bundleId'));
    if (!bundle) throw new NotFoundError();
    const unlock = c.req.query('u') ? await signedUnlock(deps, c, (unlockId) => ({ kind: 'zip', bundleId: bundle.id, unlockId })) : undefined;
    if (unlock && unlock.bundle_id !== bundle.id) throw new ForbiddenError('bundle.link_invalid', 'link_invalid');
    if (!unlock && !bundle.published) throw new NotFoundError('bundle.not_found');
    const files = (await resolveFiles(deps, await q.listFiles(deps.db, bundle.id))).filter((f) => canDownload(f, unlock));
    return c.body(zipStream(deps.storage, bundle.slug, files), 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${bundle.slug}.zip"`,
      'Cache-Control': 'private, no-store',
    });
  });

  media.get('/bundles/torrents/:bundleId/:file', async (c) => {
    const bundle = await q.findBundle(deps.db, c.req.param('bundleId'));
    const access = /^(free|locked|bonus)\.torrent$/.exec(c.req.param('file'))?.[1] as q.FileAccess | undefined;
    if (!bundle || !access) throw new NotFoundError();
    let unlockId: string | undefined;
    if (access === 'free') {
      if (!bundle.published) throw new NotFoundError('bundle.not_found');
    } else {
      const unlock = await signedUnlock(deps, c, (id) => ({ kind: 'seed', bundleId: bundle.id, access, unlockId: id }));
      if (unlock.bundle_id !== bundle.id || !canDownload({ access }, unlock)) throw new ForbiddenError('bundle.link_invalid', 'link_invalid');
      unlockId = unlock.id;
    }
    const files = await resolveFiles(deps, await q.listFiles(deps.db, bundle.id));
    const row = await ensureBundleTorrent(deps, bundle, access, files);
    if (!row) throw new NotFoundError();
    const { torrent } = bundleTorrentFor(deps, bundle, row, unlockId);
    return c.body(new Uint8Array(torrent), 200, {
      'Content-Type': TORRENT_TYPE,
      'Content-Disposition': `attachment; filename="${torrentName(bundle, access)}.torrent"`,
      'Cache-Control': 'private, no-store',
    });
  });

  // The web seed: clients append "<torrent name>/<file name>" to the url-list and ask for byte ranges.
  media.on(['GET', 'HEAD'], '/bundles/seed/:bundleId/:access/:token/:name/:filename', async (c) => {
    const bundle = await q.findBundle(deps.db, c.req.param('bundleId'));
    const access = c.req.param('access') as q.FileAccess;
    if (!bundle || !['free', 'locked', 'bonus'].includes(access) || c.req.param('name') !== torrentName(bundle, access)) throw new NotFoundError();
    if (access === 'free') {
      if (c.req.param('token') !== 'public' || !bundle.published) throw new NotFoundError();
    } else {
      const [unlockId = '', expires, signature] = c.req.param('token').split('.');
      verify(deps.signingSecret, { kind: 'seed', bundleId: bundle.id, access, unlockId }, expires, signature, deps.clock.now());
      const unlock = await q.findUnlock(deps.db, unlockId);
      if (!unlock || unlock.bundle_id !== bundle.id || !canDownload({ access }, unlock)) throw new ForbiddenError('bundle.link_invalid', 'link_invalid');
    }
    const files = await resolveFiles(deps, await q.listFiles(deps.db, bundle.id));
    const file = files.find((f) => f.access === access && f.filename === c.req.param('filename'));
    if (!file) throw new NotFoundError();
    return serveStoredFile(c, deps.storage, file.key, { contentType: 'application/octet-stream', cacheControl: access === 'free' ? 'public, max-age=3600' : 'private, max-age=3600' });
  });

  media.get('/bundles/cover/:bundleId', async (c) => {
    const bundle = await q.findBundle(deps.db, c.req.param('bundleId'));
    if (!bundle?.cover_key || !bundle.published) throw new NotFoundError();
    return serveStoredFile(c, deps.storage, bundle.cover_key, { cacheControl: 'public, max-age=300' });
  });

  return { pages, account, media };
}

