import type { CookieOptions } from 'hono/utils/cookie';

/** Cookie names and flags for this site: `Secure` and the `__Host-` prefix whenever it is served over HTTPS. */
export interface CookiePolicy {
  session: string;
  csrf: string;
  language: string;
  options(maxAgeSeconds?: number): CookieOptions;
}

export function cookiePolicy(publicUrl: string): CookiePolicy {
  const secure = publicUrl.startsWith('https://');
  const prefix = secure ? '__Host-' : '';
  return {
    session: `${prefix}ff_session`,
    csrf: `${prefix}ff_csrf`,
    language: `${prefix}ff_lang`,
    options: (maxAgeSeconds) => ({
      path: '/',
      httpOnly: true,
      secure,
      sameSite: 'Lax',
      ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
    }),
  };
}
