import { CsrfField, FAN_LINKS, Layout, Notice, type PageEnv } from '../core/http/layout.js';
import { Field, FormErrors, LanguageSelect, type FieldState } from '../core/http/fields.js';
import type { MessageKey } from '../core/i18n/index.js';

export function LoginPage({ env, state, back }: { env: PageEnv; state: FieldState; back?: string }) {
  const { t } = env;
  return (
    <Layout env={env} title={t('login.title')}>
      <h1>{t('login.title')}</h1>
      <p>{t('login.intro')}</p>
      <FormErrors env={env} state={state} />
      <form method="post" action="/login" class="stack">
        <CsrfField env={env} />
        {back && <input type="hidden" name="back" value={back} />}
        <Field env={env} state={state} name="email" label="account.email" type="email" required autocomplete="email" maxlength={254} />
        <Field env={env} state={state} name="password" label="account.password" type="password" hint="login.password_hint" autocomplete="current-password" />
        <button type="submit">{t('login.submit')}</button>
      </form>
      <p>
        {t('login.no_account')} <a href="/signup">{t('nav.signup')}</a>
      </p>
    </Layout>
  );
}

export function SignupPage({ env, state }: { env: PageEnv; state: FieldState }) {
  const { t } = env;
  return (
    <Layout env={env} title={t('signup.title')}>
      <h1>{t('signup.title')}</h1>
      <p>{t('signup.intro')}</p>
      <FormErrors env={env} state={state} />
      <form method="post" action="/signup" class="stack">
        <CsrfField env={env} />
        <Field env={env} state={state} name="display_name" label="account.display_name" required autocomplete="nickname" maxlength={80} />
        <Field env={env} state={state} name="email" label="account.email" type="email" required autocomplete="email" maxlength={254} />
        <Field env={env} state={state} name="password" label="account.password" type="password" hint="signup.password_hint" autocomplete="new-password" />
        <button type="submit">{t('signup.submit')}</button>
      </form>
      <p>
        {t('signup.have_account')} <a href="/login">{t('nav.login')}</a>
      </p>
    </Layout>
  );
}

export function LinkSentPage({ env }: { env: PageEnv }) {
  return (
    <Layout env={env} title={env.t('link_sent.title')}>
      <h1>{env.t('link_sent.title')}</h1>
      <p role="status">{env.t('link_sent.body')}</p>
    </Layout>
  );
}

/**
 * The link in the e-mail opens this page; the button spends the token. Mail scanners that follow
 * links (GET) therefore cannot use up a link before its owner does.
 */
export function MagicConfirmPage({ env, token, error }: { env: PageEnv; token: string; error?: MessageKey }) {
  const { t } = env;
  return (
    <Layout env={env} title={t('magic.title')}>
      <h1>{t('magic.title')}</h1>
      <Notice env={env} messageKey={error} kind="error" />
      {error ? (
        <p>
          <a href="/login">{t('magic.ask_again')}</a>
        </p>
      ) : (
        <form method="post" action="/auth/magic" class="stack">
          <CsrfField env={env} />
          <input type="hidden" name="token" value={token} />
          <p>{t('magic.body')}</p>
          <button type="submit">{t('magic.submit')}</button>
        </form>
      )}
    </Layout>
  );
}

export function AccountPage({
  env,
  profile,
  password,
  notice,
}: {
  env: PageEnv;
  profile: FieldState;
  password: FieldState;
  notice?: MessageKey;
}) {
  const { t, user } = env;
  if (!user) return null;
  return (
    <Layout env={env} title={t('account.title')}>
      <h1>{t('account.title')}</h1>
      <Notice env={env} messageKey={notice} />
      <nav aria-labelledby="support-heading" class="account-links">
        <h2 id="support-heading">{t('account.support')}</h2>
        <ul>
          {FAN_LINKS.filter(([href]) => href !== '/account').map(([href, label]) => (
            <li>
              <a href={href}>{t(label)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t('account.profile')}</h2>
        <p>
          {t('account.email')}: <strong>{user.email}</strong>
        </p>
        <FormErrors env={env} state={profile} />
        <form method="post" action="/account" class="stack">
          <CsrfField env={env} />
          <Field env={env} state={profile} name="display_name" label="account.display_name" required initial={user.displayName} maxlength={80} />
          <LanguageSelect env={env} state={profile} name="language" label="account.language" initial={user.language ?? env.locale} />
          <button type="submit">{t('form.save')}</button>
        </form>
      </section>
      <section aria-labelledby="password-heading">
        <h2 id="password-heading">{t(user.hasPassword ? 'account.password_change' : 'account.password_set')}</h2>
        <p>{t('account.password_explain')}</p>
        <FormErrors env={env} state={password} />
        <form method="post" action="/account/password" class="stack">
          <CsrfField env={env} />
          {user.hasPassword && (
            <Field env={env} state={password} name="current_password" label="account.password_current" type="password" required autocomplete="current-password" />
          )}
          <Field env={env} state={password} name="new_password" label="account.password_new" type="password" required autocomplete="new-password" hint="signup.password_hint" />
          <button type="submit">{t('form.save')}</button>
        </form>
      </section>
    </Layout>
  );
}
