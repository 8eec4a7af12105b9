import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppDeps } from '../core/deps.js';
import { safeRedirectPath, type AppContext, type AppEnv, type CurrentUser } from '../core/http/context.js';
import { clientIp } from '../core/http/client-ip.js';
import type { CookiePolicy } from '../core/http/cookies.js';
import { AppError, BadRequestError, UnauthorizedError } from '../core/http/errors.js';
import { readForm, textFields, validateForm } from '../core/http/form.js';
import { noticeFrom, pageEnv } from '../core/http/layout.js';
import { clearSessionCookie, setSessionCookie } from '../core/http/session-cookie.js';
import { isLocale } from '../core/i18n/index.js';
import { AccountPage, LinkSentPage, LoginPage, MagicConfirmPage, SignupPage } from './pages.js';
import { loginSchema, passwordChangeSchema, profileSchema, signupSchema } from './schema.js';
import * as accounts from './service.js';

/** The signed-in user, or a 401 (pages turn it into a redirect to the login form). */
export function requireUser(c: AppContext): CurrentUser {
  const user = c.var.user;
  if (!user) throw new UnauthorizedError();
  return user;
}

/** Sign-up, login (magic link or password), logout, account settings and the language switch. */
export function accountRoutes(deps: AppDeps, cookies: CookiePolicy, studioAccess: (c: AppContext) => Promise<boolean>) {
  const app = new Hono<AppEnv>();
  const ip = (c: AppContext) => clientIp(c, deps.config.trustProxy);
  const env = async (c: AppContext) => pageEnv(c, await studioAccess(c));

  app.get('/login', async (c) => c.html(<LoginPage env={await env(c)} state={{}} back={safeRedirectPath(c.req.query('back'), '') || undefined} />));

  app.post('/login', async (c) => {
    const form = await readForm(c);
    const parsed = validateForm(loginSchema, form);
    const back = safeRedirectPath(form['back'], '/');
    if (!parsed.ok) return c.html(<LoginPage env={await env(c)} state={parsed} back={back} />, 422);
    const { email, password } = parsed.data;
    if (!password) {
      await accounts.requestMagicLink(deps, { email, language: c.var.locale, ip: ip(c) });
      return c.redirect('/login/sent', 303);
    }
    try {
      const { sessionToken } = await accounts.loginWithPassword(deps, { email, password, ip: ip(c) });
      setSessionCookie(c, cookies, sessionToken, deps.config.sessionTtlDays);
      return c.redirect(back, 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'bad_credentials') {
        const state = { values: { email }, errors: { _form: error.messageKey } };
        return c.html(<LoginPage env={await env(c)} state={state} back={back} />, 401);
      }
      throw error;
    }
  });

  app.get('/login/sent', async (c) => c.html(<LinkSentPage env={await env(c)} />));

  app.get('/signup', async (c) => c.html(<SignupPage env={await env(c)} state={{}} />));

  app.post('/signup', async (c) => {
    const parsed = validateForm(signupSchema, await readForm(c));
    if (!parsed.ok) return c.html(<SignupPage env={await env(c)} state={parsed} />, 422);
    const { email, display_name, password } = parsed.data;
    await accounts.requestMagicLink(deps, { email, displayName: display_name, password: password || undefined, language: c.var.locale, ip: ip(c) });
    return c.redirect('/login/sent', 303);
  });

  app.get('/auth/magic', async (c) => {
    const token = c.req.query('token') ?? '';
    const error = /^[A-Za-z0-9_-]{20,100}$/.test(token) ? undefined : 'auth.link_invalid';
    return c.html(<MagicConfirmPage env={await env(c)} token={token} error={error} />, error ? 400 : 200);
  });

  app.post('/auth/magic', async (c) => {
    const token = textFields(await readForm(c))['token'] ?? '';
    try {
      const { sessionToken } = await accounts.consumeMagicLink(deps, token);
      setSessionCookie(c, cookies, sessionToken, deps.config.sessionTtlDays);
      return c.redirect('/?notice=logged_in', 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_link') {
        return c.html(<MagicConfirmPage env={await env(c)} token="" error={error.messageKey} />, 400);
      }
      throw error;
    }
  });

  app.post('/logout', async (c) => {
    if (c.var.sessionTokenHash) await accounts.endSession(deps, c.var.sessionTokenHash);
    clearSessionCookie(c, cookies);
    return c.redirect('/?notice=logged_out', 303);
  });

  app.get('/account', async (c) => {
    requireUser(c);
    return c.html(<AccountPage env={await env(c)} profile={{}} password={{}} notice={noticeFrom(c)} />);
  });

  app.post('/account', async (c) => {
    const user = requireUser(c);
    const parsed = validateForm(profileSchema, await readForm(c));
    if (!parsed.ok) return c.html(<AccountPage env={await env(c)} profile={parsed} password={{}} />, 422);
    await accounts.saveProfile(deps, user.id, parsed.data.display_name, parsed.data.language);
    return c.redirect('/account?notice=saved', 303);
  });

  app.post('/account/password', async (c) => {
    const user = requireUser(c);
    const parsed = validateForm(passwordChangeSchema, await readForm(c));
    if (!parsed.ok) return c.html(<AccountPage env={await env(c)} profile={{}} password={parsed} />, 422);
    try {
      await accounts.changePassword(deps, {
        userId: user.id,
        currentPassword: parsed.data.current_password,
        newPassword: parsed.data.new_password,
        keepSessionHash: c.var.sessionTokenHash!,
        ip: ip(c),
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'bad_current_password') {
        return c.html(<AccountPage env={await env(c)} profile={{}} password={{ errors: { current_password: error.messageKey } }} />, 422);
      }
      throw error;
    }
    return c.redirect('/account?notice=password_saved', 303);
  });

  const languageSchema = z.object({ lang: z.string() });
  app.post('/language', async (c) => {
    const fields = textFields(await readForm(c));
    const lang = languageSchema.safeParse(fields).data?.lang;
    if (!isLocale(lang)) throw new BadRequestError('error.language_invalid');
    setCookie(c, cookies.language, lang, cookies.options(60 * 60 * 24 * 365));
    if (c.var.user) await accounts.saveLanguage(deps, c.var.user.id, lang);
    return c.redirect(safeRedirectPath(fields['back'], '/'), 303);
  });

  return app;
}
