import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../core/http/context.js';
import { BadRequestError } from '../core/http/errors.js';
import { Layout, pageEnv } from '../core/http/layout.js';
import { oneLineText } from '../core/http/text.js';

/** A fediverse server's host as a fan types it: `mastodon.social`, `https://piaille.fr/`, `social.example:8443`. */
export function fediverseHost(input: string): string | undefined {
  const host = input.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/.test(host) ? host : undefined;
}

const shareQuery = z.object({ instance: z.string().max(300), text: oneLineText().max(1000) });

/**
 * `GET /share?instance=&text=`: without script, the watch page's fediverse form lands here (a form may not
 * redirect to another site under the CSP's `form-action 'self'`), and the fan follows one link to their
 * server's share page (Mastodon's `/share?text=`, which other servers copy). With script the form opens it directly.
 */
export function shareRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/share', (c) => {
    const parsed = shareQuery.safeParse({ instance: c.req.query('instance') ?? '', text: c.req.query('text') ?? '' });
    const host = parsed.success ? fediverseHost(parsed.data.instance) : undefined;
    if (!parsed.success || !host) throw new BadRequestError('share.instance_invalid');
    const env = pageEnv(c);
    const target = `https://${host}/share?text=${encodeURIComponent(parsed.data.text)}`;
    return c.html(
      <Layout env={env} title={env.t('share.title')}>
        <h1>{env.t('share.title')}</h1>
        <p>{env.t('share.what')}</p>
        <blockquote>{parsed.data.text}</blockquote>
        <p>
          <a class="button" href={target} rel="noopener noreferrer">
            {env.t('share.continue', { server: host })}
          </a>
        </p>
      </Layout>,
    );
  });
  return app;
}
