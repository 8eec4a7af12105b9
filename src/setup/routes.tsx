import { Hono } from 'hono';
import { checkAvatar } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import type { AppEnv } from '../core/http/context.js';
import type { CookiePolicy } from '../core/http/cookies.js';
import { ValidationError } from '../core/http/errors.js';
import { readForm, textFields, validateForm } from '../core/http/form.js';
import { pageEnv } from '../core/http/layout.js';
import { setSessionCookie } from '../core/http/session-cookie.js';
import { SetupPage } from './pages.js';
import { AlreadySetUpError, isSetUp, performSetup, setupSchema } from './service.js';

/** `/setup`: shown once, on a site with no owner yet; refused afterwards. */
export function setupRoutes(deps: AppDeps, cookies: CookiePolicy) {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    if (await isSetUp(deps.db)) throw new AlreadySetUpError();
    return c.html(<SetupPage env={pageEnv(c)} state={{}} />);
  });

  app.post('/', async (c) => {
    if (await isSetUp(deps.db)) throw new AlreadySetUpError();
    const form = await readForm(c);
    const parsed = validateForm(setupSchema, form);
    const avatar = await checkAvatar(form['avatar']);
    if (!parsed.ok || (avatar && !avatar.ok)) {
      const errors = parsed.ok ? {} : { ...parsed.errors };
      if (avatar && !avatar.ok) errors['avatar'] = avatar.error;
      return c.html(<SetupPage env={pageEnv(c)} state={{ errors, values: textFields(form) }} />, 422);
    }
    const input = parsed.data;
    try {
      const { sessionToken } = await performSetup(deps, {
        displayName: input.display_name,
        language: c.var.locale,
        email: input.email,
        password: input.password,
        channel: {
          handle: input.handle,
          name: input.channel_name,
          description: input.description,
          language: input.channel_language,
          avatar: avatar?.ok ? avatar : undefined,
        },
      });
      setSessionCookie(c, cookies, sessionToken, deps.config.sessionTtlDays);
      deps.log.info('site set up');
      return c.redirect('/studio?notice=setup_done', 303);
    } catch (error) {
      if (error instanceof ValidationError) {
        return c.html(<SetupPage env={pageEnv(c)} state={{ errors: error.fields, values: textFields(form) }} />, 422);
      }
      throw error;
    }
  });

  return app;
}
