/**
 * Accounts: sign-up, magic links, passwords, sessions, the account page and the language switch. Reads
 * the session on every request (its middleware) so every capability sees `c.var.user`.
 */
import { cookiePolicy } from '../core/http/cookies.js';
import { defineCapability } from '../core/module.js';
import { en, fr } from './messages.js';
import { accountRoutes } from './routes.js';
import { sessionMiddleware } from './session-middleware.js';

/*
 * The public API: what other capabilities and the entry points may use. Route handlers get the signed-in
 * user with `requireUser`; first-run setup creates the owner with the account fields and functions below.
 */
export { requireUser } from './routes.js';
export { createSessionFor, findUserByEmail, hashPassword, insertUser } from './service.js';
export { displayNameField, emailField, optionalNewPassword } from './schema.js';
/** Deletes expired sessions and magic links (the web process runs it every hour). */
export { pruneExpired } from './queries.js';
/** How to reach accounts (address, name, language), for capabilities that e-mail their fans. */
export { accountIdOfEmail, contactsOf, type UserContact } from './queries.js';

export const accountsCapability = defineCapability({
  name: 'accounts',
  messages: { en, fr },
  middleware: (ctx) => sessionMiddleware(ctx.deps, cookiePolicy(ctx.deps.config.publicUrl)),
  routes: [{ area: 'public', path: '/', build: (ctx) => accountRoutes(ctx.deps, cookiePolicy(ctx.deps.config.publicUrl), ctx.studioAccess) }],
  tables: {
    users: { export: 'rows', scope: 'site', note: 'password hashes travel; sessions do not', match: ['email'], importAs: { site_role: 'member' } },
    sessions: { export: 'none', why: 'log-ins are per server; people log in again on the new site' },
    magic_links: { export: 'none', why: 'one-time links that expire within minutes' },
  },
});
