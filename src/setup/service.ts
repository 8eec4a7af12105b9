import { z } from 'zod';
import { createSessionFor, displayNameField, emailField, hashPassword, insertUser, optionalNewPassword } from '../accounts/index.js';
import { channelFields, insertChannelWithAdmin, withAvatar, type NewChannel } from '../channels/index.js';
import type { AppDeps } from '../core/deps.js';
import { isUniqueViolation, type Queryable } from '../core/db/index.js';
import { ConflictError } from '../core/http/errors.js';
import type { Locale } from '../core/i18n/index.js';

export const setupSchema = z.object({
  display_name: displayNameField,
  email: emailField,
  password: optionalNewPassword,
  ...channelFields,
});

export type SetupInput = {
  displayName: string;
  /** The owner's interface language: the one the setup form was shown in, not the channel's. */
  language: Locale;
  email: string;
  password: string;
  channel: NewChannel;
};

export async function isSetUp(db: Queryable): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM site');
  return rows.length > 0;
}

export class AlreadySetUpError extends ConflictError {
  constructor() {
    super('setup.already_done', 'already_set_up');
  }
}

/**
 * First run: creates the site, its owner and the first channel in one transaction. The site table's
 * single-row primary key refuses a second setup, even two submitted at the same instant.
 * Returns a session token for the new owner.
 */
export async function performSetup(deps: AppDeps, input: SetupInput): Promise<{ sessionToken: string; channelHandle: string }> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return withAvatar(deps, input.channel.avatar, (avatarKey) =>
    deps.db.transaction(async (tx) => {
      try {
        await tx.query('INSERT INTO site (id, name) VALUES (true, $1)', [input.channel.name]);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AlreadySetUpError();
        throw error;
      }
      const owner = await insertUser(tx, {
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        siteRole: 'owner',
        language: input.language,
        verifiedAt: deps.clock.now(),
      });
      const channel = await insertChannelWithAdmin(tx, input.channel, avatarKey, owner.id);
      const sessionToken = await createSessionFor(deps, tx, owner.id);
      return { sessionToken, channelHandle: channel.handle };
    }),
  );
}
