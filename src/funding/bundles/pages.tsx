import { raw } from 'hono/html';
import { Field, FormErrors, type FieldState } from '../../core/http/fields.js';
import { CsrfField, Layout, type PageEnv } from '../../core/http/layout.js';
import type { MessageKey } from '../../core/i18n/index.js';
import { humanSize } from '../../downloads/index.js';
import { renderMarkdown } from '../../videos/index.js';
import { formatMoney, formatMoneyInput, money } from '../money.js';
import type { BundleFileRow, BundleRow, FileAccess } from './queries.js';

/** A file line as a page shows it: name, size, and a link when the visitor may download it. */
export interface FileLink {
  file: Pick<BundleFileRow, 'id' | 'filename' | 'access' | 'content_type'> & { length: number };
  href?: string;
}

export interface TorrentLink {
  access: FileAccess;
  href: string;
  magnet: string;
}

const ACCESS_LABEL: Record<FileAccess, MessageKey> = { free: 'bundle.access_free', locked: 'bundle.access_locked', bonus: 'bundle.access_bonus' };

function FileList({ env, files }: { env: PageEnv; files: FileLink[] }) {
  return (
    <ul class="bundle-files">
      {files.map(({ file, href }) => (
        <li data-access={file.access}>
          {href ? (
            <a href={href} download={file.filename}>
              {file.filename}
            </a>
          ) : (
            <span>{file.filename}</span>
          )}{' '}
          <span class="hint">
            {humanSize(file.length, env.locale)} · {env.t(ACCESS_LABEL[file.access])}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Torrents({ env, torrents }: { env: PageEnv; torrents: TorrentLink[] }) {
  if (torrents.length === 0) return null;
  return (
    <>
      <ul class="bundle-torrents">
        {torrents.map((tl) => (
          <li>
            <a href={tl.href} type="application/x-bittorrent">
              {env.t('bundle.torrent', { access: tl.access })}
            </a>{' '}
            · <a href={tl.magnet}>{env.t('bundle.magnet')}</a>
          </li>
        ))}
      </ul>
      <p class="hint">{env.t('bundle.torrent_hint')}</p>
    </>
  );
}

export interface BundlePageProps {
  env: PageEnv;
  bundle: BundleRow;
  channelName: string;
  coverUrl?: string;
  files: FileLink[];
  torrents: TorrentLink[];
  average: { average: number; count: number };
  providers: string[];
  emailState?: FieldState;
  payState?: FieldState;
  notice?: MessageKey;
}

/** `/b/:slug`: cover, description, the files (free ones downloadable), and the two ways to unlock the rest. */
export function BundlePage(props: BundlePageProps) {
  const { env, bundle } = props;
  const { t } = env;
  const locked = props.files.filter((f) => f.file.access === 'locked').length;
  const bonus = props.files.filter((f) => f.file.access === 'bonus').length;
  const fmt = (amount: number) => formatMoney(money(amount, bundle.currency), env.locale);
  const emailState = props.emailState ?? {};
  const payState = props.payState ?? {};
  return (
    <Layout env={env} title={bundle.title}>
      <article class="bundle">
        <h1>{bundle.title}</h1>
        <p class="hint">{props.channelName}</p>
        {props.coverUrl && <img class="bundle-cover" src={props.coverUrl} alt="" width={480} />}
        <div class="description">{raw(renderMarkdown(bundle.description))}</div>
        {props.notice && (
          <p class="notice notice-info" role="status">
            {t(props.notice)}
          </p>
        )}
        <h2>{t('bundle.files')}</h2>
        <FileList env={env} files={props.files} />
        <Torrents env={env} torrents={props.torrents} />
        <p class="hint">{t('bundle.drm_free')}</p>
        {(locked > 0 || bonus > 0) && (
          <section aria-labelledby="unlock-heading" id="unlock">
            <h2 id="unlock-heading">{t('bundle.unlock_heading')}</h2>
            {locked > 0 && <p>{t('bundle.locked_count', { count: locked })}</p>}
            {bonus > 0 && bundle.bonus_above_average && <p>{t('bundle.bonus_count', { count: bonus, average: fmt(props.average.average) })}</p>}
            {bundle.unlock_by_email && (
              <form method="post" action={`/b/${bundle.slug}/unlock/email#unlock`} class="stack" id="email-unlock">
                <h3>{t('bundle.email_heading')}</h3>
                <FormErrors env={env} state={emailState} />
                <CsrfField env={env} />
                <Field env={env} state={emailState} name="email" label="bundle.email" type="email" required maxlength={254} initial={env.user?.email} />
                <label class="choice">
                  <input type="checkbox" name="consent" value="on" checked={emailState.values?.['consent'] === 'on'} /> {t('bundle.consent', { channel: props.channelName })}
                </label>
                {emailState.errors?.['consent'] && <p class="error">{t(emailState.errors['consent'])}</p>}
                <button type="submit">{t('bundle.email_submit')}</button>
              </form>
            )}
            {bundle.unlock_by_payment && props.providers.length > 0 && (
              <form method="post" action={`/b/${bundle.slug}/unlock/pay#unlock`} class="stack" id="pay-unlock">
                <h3>{t('bundle.pay_heading')}</h3>
                <p>{t('bundle.pay_intro', { minimum: fmt(bundle.minimum_amount), suggested: fmt(bundle.suggested_amount) })}</p>
                <p>{t('bundle.average', { average: fmt(props.average.average), count: props.average.count })}</p>
                <FormErrors env={env} state={payState} />
                <CsrfField env={env} />
                <Field env={env} state={payState} name="amount" label="bundle.amount" required maxlength={20} initial={formatMoneyInput(money(bundle.suggested_amount, bundle.currency), env.locale)} />
                {!env.user && <Field env={env} state={payState} name="email" label="bundle.pay_email" type="email" maxlength={254} />}
                <input type="hidden" name="provider" value={props.providers[0]} />
                <button type="submit">{t('bundle.pay_submit')}</button>
              </form>
            )}
          </section>
        )}
      </article>
    </Layout>
  );
}

/** A page that only says something (a used or expired link, an e-mail sent), with a way back. */
export function MessagePage({ env, title, message, back }: { env: PageEnv; title: string; message: MessageKey; back?: string }) {
  return (
    <Layout env={env} title={title}>
      <h1>{title}</h1>
      <p class="notice notice-info" role="status">
        {env.t(message)}
      </p>
      {back && (
        <p>
          <a href={back}>{title}</a>
        </p>
      )}
    </Layout>
  );
}

/** The confirmation page the e-mail link opens: one button, so mail scanners that follow links unlock nothing. */
export function ConfirmPage({ env, bundle, token }: { env: PageEnv; bundle: BundleRow; token: string }) {
  return (
    <Layout env={env} title={env.t('bundle.confirm_heading')}>
      <h1>{env.t('bundle.confirm_heading')}</h1>
      <p>{env.t('bundle.confirm_intro', { title: bundle.title })}</p>
      <form method="post" action="/b/confirm">
        <CsrfField env={env} />
        <input type="hidden" name="token" value={token} />
        <button type="submit">{env.t('bundle.confirm_submit')}</button>
      </form>
    </Layout>
  );
}

/** The fan's own page for a bundle: every file they may have, the ZIP and the torrents, all signed for them. */
export function AccessPage({ env, bundle, files, zipHref, torrents, bonus }: { env: PageEnv; bundle: BundleRow; files: FileLink[]; zipHref: string; torrents: TorrentLink[]; bonus: boolean }) {
  const { t } = env;
  return (
    <Layout env={env} title={bundle.title}>
      <h1>{bundle.title}</h1>
      <h2>{t('bundle.access_heading')}</h2>
      {bonus && <p class="notice notice-info">{t('bundle.paid_bonus')}</p>}
      <p>{t('bundle.access_intro')}</p>
      <FileList env={env} files={files} />
      <p>
        <a href={zipHref} id="zip-link">
          {t('bundle.zip')}
        </a>
      </p>
      <Torrents env={env} torrents={torrents} />
      <p class="hint">{t('bundle.drm_free')}</p>
    </Layout>
  );
}

/** After the checkout: waiting for the provider, failed, or on to the access page. */
export function PaidPage({ env, bundle, status }: { env: PageEnv; bundle: BundleRow; status: 'pending' | 'failed' }) {
  return (
    <Layout env={env} title={env.t('bundle.paid_heading')} head={status === 'pending' ? <meta http-equiv="refresh" content="2" /> : undefined}>
      <h1>{env.t('bundle.paid_heading')}</h1>
      <p role="status">{env.t(status === 'pending' ? 'bundle.paid_pending' : 'bundle.paid_failed')}</p>
      <p>
        <a href={`/b/${bundle.slug}`}>{bundle.title}</a>
      </p>
    </Layout>
  );
}

/** `/library`: every bundle the signed-in fan unlocked, each opening their access page with fresh links. */
export function LibraryPage({ env, items }: { env: PageEnv; items: { title: string; href: string }[] }) {
  return (
    <Layout env={env} title={env.t('bundle.library_heading')}>
      <h1>{env.t('bundle.library_heading')}</h1>
      {items.length === 0 ? (
        <p>{env.t('bundle.library_empty')}</p>
      ) : (
        <ul>
          {items.map((i) => (
            <li>
              <a href={i.href}>{i.title}</a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
