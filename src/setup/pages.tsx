import { CsrfField, Layout, type PageEnv } from '../core/http/layout.js';
import { Field, FormErrors, LanguageSelect, type FieldState } from '../core/http/fields.js';

/** First-run form: the owner account and the first channel. */
export function SetupPage({ env, state }: { env: PageEnv; state: FieldState }) {
  const { t } = env;
  return (
    <Layout env={env} title={t('setup.title')}>
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <FormErrors env={env} state={state} />
      <form method="post" action="/setup" enctype="multipart/form-data" class="stack">
        <CsrfField env={env} />
        <fieldset>
          <legend>{t('setup.owner_legend')}</legend>
          <Field env={env} state={state} name="display_name" label="account.display_name" required autocomplete="name" maxlength={80} />
          <Field env={env} state={state} name="email" label="account.email" type="email" required autocomplete="email" maxlength={254} />
          <Field env={env} state={state} name="password" label="account.password" type="password" hint="setup.password_hint" autocomplete="new-password" />
        </fieldset>
        <fieldset>
          <legend>{t('setup.channel_legend')}</legend>
          <Field env={env} state={state} name="channel_name" label="channel.name" required maxlength={80} />
          <Field env={env} state={state} name="handle" label="channel.handle" hint="channel.handle_hint" required maxlength={30} />
          <Field env={env} state={state} name="description" label="channel.description" multiline maxlength={5000} />
          <LanguageSelect env={env} state={state} name="channel_language" label="channel.language" />
          <Field env={env} state={state} name="avatar" label="channel.avatar" type="file" accept="image/png,image/jpeg,image/gif,image/webp" hint="channel.avatar_hint" />
        </fieldset>
        <button type="submit">{t('setup.submit')}</button>
      </form>
    </Layout>
  );
}
