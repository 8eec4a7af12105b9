import { assetPath } from '../../core/http/asset-paths.js';
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { channelForAdmin, roleOnChannel } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import type { AppContext, AppEnv } from '../../core/http/context.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../core/http/errors.js';
import { Field, FormErrors, type FieldState } from '../../core/http/fields.js';
import { readForm, textFields, validateForm } from '../../core/http/form.js';
import { CsrfField, pageEnv, type PageEnv } from '../../core/http/layout.js';
import { formatBytes } from '../../core/http/errors.js';
import { StudioLayout } from '../../studio/index.js';
import { findVideoById, listPublicAndMembersVideos } from '../../videos/index.js';
import { formatMoneyInput, isCurrency, money, MoneyInputError, parseMoneyInput } from '../money.js';
import { safeFilename } from './file-types.js';
import { humanSize } from '../../downloads/index.js';
import * as q from './queries.js';
import { createBundleUploadServer, BUNDLE_UPLOAD_PATH } from './uploads.js';

const checkbox = z.literal('on').optional();
const bundleSchema = z.object({
  title: z.string().trim().min(1, 'error.required').max(200, 'error.required'),
  slug: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'bundle.slug_invalid').refine((s) => s !== 'confirm', 'bundle.slug_invalid'),
  description: z.string().max(20000, 'error.required').default(''),
  published: checkbox,
  unlock_by_email: checkbox,
  unlock_by_payment: checkbox,
  bonus_above_average: checkbox,
  minimum: z.string().default('0'),
  suggested: z.string().default('0'),
});

function price(input: string, currency: string): number | undefined {
  if (!isCurrency(currency)) return undefined;
  try {
    return parseMoneyInput(input || '0', currency).amount;
  } catch (error) {
    if (error instanceof MoneyInputError) return undefined;
    throw error;
  }
}

function BundleFields({ env, state, bundle, currency }: { env: PageEnv; state: FieldState; bundle?: q.BundleRow; currency: string }) {
  const { t } = env;
  const on = (name: string, initial: boolean) => (state.values ? state.values[name] === 'on' : initial);
  const box = (name: keyof typeof bundleSchema.shape, label: Parameters<PageEnv['t']>[0], initial: boolean) => (
    <label class="choice">
      <input type="checkbox" name={name} value="on" checked={on(name, initial)} /> {t(label)}
    </label>
  );
  return (
    <>
      <Field env={env} state={state} name="title" label="bundle.title" required maxlength={200} initial={bundle?.title} />
      <Field env={env} state={state} name="slug" label="bundle.slug" hint="bundle.slug_hint" required maxlength={60} initial={bundle?.slug} />
      <Field env={env} state={state} name="description" label="bundle.description" multiline maxlength={20000} initial={bundle?.description} />
      {box('published', 'bundle.published', bundle?.published ?? false)}
      {box('unlock_by_email', 'bundle.unlock_by_email', bundle?.unlock_by_email ?? true)}
      {box('unlock_by_payment', 'bundle.unlock_by_payment', bundle?.unlock_by_payment ?? false)}
      <div class="field">
        <label for="field-minimum">{t('bundle.minimum', { currency })}</label>
        <input id="field-minimum" name="minimum" value={state.values?.['minimum'] ?? formatMoneyInput(money(bundle?.minimum_amount ?? 0, currency), env.locale)} />
        {state.errors?.['minimum'] && <p class="error">{t(state.errors['minimum'])}</p>}
      </div>
      <div class="field">
        <label for="field-suggested">{t('bundle.suggested', { currency })}</label>
        <input id="field-suggested" name="suggested" value={state.values?.['suggested'] ?? formatMoneyInput(money(bundle?.suggested_amount ?? 0, currency), env.locale)} />
        {state.errors?.['suggested'] && <p class="error">{t(state.errors['suggested'])}</p>}
      </div>
      {box('bonus_above_average', 'bundle.bonus_above_average', bundle?.bonus_above_average ?? false)}
    </>
  );
}

/** The Studio's bundle pages and the bundle files' resumable upload endpoint. */
export function bundleStudioRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const uploadRoutes = new Hono<AppEnv>();
  let uploads: ReturnType<typeof createBundleUploadServer> | undefined;
  const tus = (c: AppContext) => {
    if (!c.var.user) throw new UnauthorizedError();
    return (uploads ??= createBundleUploadServer(deps)).handle(c.req.raw, { user: c.var.user, t: c.var.t });
  };
  uploadRoutes.on(['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'], '/bundle-uploads/*', tus);
  uploadRoutes.post('/bundle-uploads', tus);

  const bundleForAdmin = async (c: AppContext): Promise<q.BundleRow> => {
    const bundle = await q.findBundle(deps.db, c.req.param('id') ?? '');
    if (!bundle) throw new NotFoundError('bundle.not_found');
    if ((await roleOnChannel(deps.db, c.var.user ?? null, bundle.channel_id)) !== 'admin') throw new ForbiddenError();
    return bundle;
  };

  const parseFields = (form: Record<string, string>, currency: string): { fields?: q.BundleFields; errors?: Record<string, Parameters<PageEnv['t']>[0]> } => {
    const parsed = validateForm(bundleSchema, form);
    if (!parsed.ok) return { errors: parsed.errors };
    const d = parsed.data;
    const minimum = price(d.minimum, currency);
    const suggested = price(d.suggested, currency);
    const errors: Record<string, Parameters<PageEnv['t']>[0]> = {};
    if (minimum === undefined) errors['minimum'] = 'bundle.price_invalid';
    if (suggested === undefined) errors['suggested'] = 'bundle.price_invalid';
    if (Object.keys(errors).length) return { errors };
    return {
      fields: {
        slug: d.slug, title: d.title, description: d.description, published: d.published === 'on', unlockByEmail: d.unlock_by_email === 'on',
        unlockByPayment: d.unlock_by_payment === 'on', currency, minimumAmount: minimum!, suggestedAmount: Math.max(minimum!, suggested!), bonusAboveAverage: d.bonus_above_average === 'on',
      },
    };
  };

  const listPage = async (c: AppContext, handle: string, state: FieldState = {}, status: 200 | 422 = 200) => {
    const channel = await channelForAdmin(deps.db, c.var.user ?? null, handle);
    const env = pageEnv(c, true);
    const bundles = await q.listChannelBundles(deps.db, channel.id, false);
    return c.html(
      <StudioLayout env={env} title={env.t('bundle.studio_title')}>
        <h1>{env.t('bundle.studio_title')}</h1>
        <p>{env.t('bundle.studio_intro')}</p>
        {bundles.length === 0 ? <p>{env.t('bundle.none')}</p> : (
          <ul>{bundles.map((b) => <li><a href={`/studio/bundles/${b.id}`}>{b.title}</a> <span class="hint">/b/{b.slug}</span></li>)}</ul>
        )}
        <h2>{env.t('bundle.new')}</h2>
        <FormErrors env={env} state={state} />
        <form method="post" action={`/studio/channels/${channel.handle}/bundles`} class="stack">
          <CsrfField env={env} />
          <BundleFields env={env} state={state} currency={await q.channelCurrency(deps.db, channel.id)} />
          <button type="submit">{env.t('bundle.create')}</button>
        </form>
      </StudioLayout>,
      status,
    );
  };

  app.get('/channels/:handle/bundles', (c) => listPage(c, c.req.param('handle')));
  app.post('/channels/:handle/bundles', async (c) => {
    const channel = await channelForAdmin(deps.db, c.var.user ?? null, c.req.param('handle'));
    const form = textFields(await readForm(c));
    const { fields, errors } = parseFields(form, await q.channelCurrency(deps.db, channel.id));
    if (!fields) return listPage(c, channel.handle, { errors, values: form }, 422);
    if (await q.findBundleBySlug(deps.db, fields.slug)) return listPage(c, channel.handle, { errors: { slug: 'bundle.slug_taken' }, values: form }, 422);
    const bundle = await q.insertBundle(deps.db, channel.id, fields);
    return c.redirect(`/studio/bundles/${bundle.id}`, 303);
  });

  const editPage = async (c: AppContext, bundle: q.BundleRow, state: FieldState = {}, status: 200 | 422 = 200) => {
    const env = pageEnv(c, true);
    const { t } = env;
    const files = await q.listFiles(deps.db, bundle.id);
    const videos = (await listPublicAndMembersVideos(deps.db, bundle.channel_id, 200)).filter((v) => v.download_file);
    const messages = { uploading: t('upload.uploading'), resuming: t('upload.resuming'), processing: t('upload.processing'), failed: t('upload.failed'), retrying: t('upload.retrying') };
    return c.html(
      <StudioLayout env={env} title={bundle.title}>
        <h1>{bundle.title}</h1>
        <p><a href={`/b/${bundle.slug}`}>/b/{bundle.slug}</a></p>
        <FormErrors env={env} state={state} />
        <form method="post" action={`/studio/bundles/${bundle.id}`} class="stack">
          <CsrfField env={env} />
          <BundleFields env={env} state={state} bundle={bundle} currency={bundle.currency} />
          <button type="submit">{t('bundle.save')}</button>
        </form>
        <form method="post" action={`/studio/bundles/${bundle.id}/cover`} enctype="multipart/form-data" class="stack">
          <CsrfField env={env} />
          <Field env={env} state={{}} name="cover" label="bundle.cover" type="file" accept="image/jpeg,image/png,image/webp" />
          <button type="submit">{t('bundle.upload_cover')}</button>
        </form>
        <h2>{t('bundle.files')}</h2>
        <table>
          <tbody>
            {files.map((f) => (
              <tr>
                <td>{f.filename}</td>
                <td>{humanSize(f.bytes, env.locale)}</td>
                <td>
                  <form method="post" action={`/studio/bundles/${bundle.id}/files/${f.id}`}>
                    <CsrfField env={env} />
                    <select name="access" aria-label={t('bundle.file_access')}>
                      {(['free', 'locked', 'bonus'] as const).map((a) => <option value={a} selected={f.access === a}>{t(`bundle.access_${a}`)}</option>)}
                    </select>
                    <input name="position" type="number" min={0} max={10000} value={String(f.position)} aria-label={t('bundle.file_position')} />
                    <button type="submit">{t('bundle.save')}</button>
                  </form>
                </td>
                <td>
                  <form method="post" action={`/studio/bundles/${bundle.id}/files/${f.id}/delete`}>
                    <CsrfField env={env} />
                    <button type="submit">{t('bundle.file_delete')}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action={`/studio/bundles/${bundle.id}/videos`} class="stack">
          <CsrfField env={env} />
          <label for="field-video">{t('bundle.add_video')}</label>
          <select id="field-video" name="video">
            {videos.map((v) => <option value={v.id}>{v.title}</option>)}
          </select>
          <button type="submit">{t('bundle.add_video_submit')}</button>
        </form>
        <h3>{t('bundle.upload_files')}</h3>
        <p class="hint">{t('bundle.upload_hint', { max: formatBytes(deps.config.maxUploadBytes) })}</p>
        <form method="post" action={`${BUNDLE_UPLOAD_PATH}/`} class="stack" data-upload data-bundle={bundle.id} data-csrf={env.csrfToken} data-messages={JSON.stringify(messages)}>
          <input id="field-file" type="file" name="file" aria-label={t('upload.file')} required />
          <button type="submit">{t('upload.submit')}</button>
        </form>
        <progress data-upload-progress hidden max={100} value={0} aria-label={t('upload.progress')} />
        <p data-upload-status role="status" aria-live="polite" />
        <script type="module" src={assetPath('upload.js')} />
      </StudioLayout>,
      status,
    );
  };

  app.get('/bundles/:id', async (c) => editPage(c, await bundleForAdmin(c)));
  app.post('/bundles/:id', async (c) => {
    const bundle = await bundleForAdmin(c);
    const form = textFields(await readForm(c));
    const { fields, errors } = parseFields(form, bundle.currency);
    if (!fields) return editPage(c, bundle, { errors, values: form }, 422);
    const other = await q.findBundleBySlug(deps.db, fields.slug);
    if (other && other.id !== bundle.id) return editPage(c, bundle, { errors: { slug: 'bundle.slug_taken' }, values: form }, 422);
    await q.updateBundle(deps.db, bundle.id, fields);
    return c.redirect(`/studio/bundles/${bundle.id}`, 303);
  });

  app.post('/bundles/:id/cover', async (c) => {
    const bundle = await bundleForAdmin(c);
    const cover = (await readForm(c))['cover'];
    const bytes = cover instanceof File ? new Uint8Array(await cover.arrayBuffer()) : undefined;
    const ext = bytes && imageExtension(bytes);
    if (!bytes || !ext || bytes.length > 5 * 1024 * 1024) return editPage(c, bundle, { errors: { cover: 'bundle.cover_invalid' } }, 422);
    const key = `bundles/${bundle.id}/cover-${randomUUID()}.${ext}`;
    await deps.storage.put(key, bytes);
    await q.setCover(deps.db, bundle.id, key);
    if (bundle.cover_key) await deps.storage.delete(bundle.cover_key);
    return c.redirect(`/studio/bundles/${bundle.id}`, 303);
  });

  app.post('/bundles/:id/videos', async (c) => {
    const bundle = await bundleForAdmin(c);
    const video = await findVideoById(deps.db, textFields(await readForm(c))['video'] ?? '');
    if (!video || video.channel_id !== bundle.channel_id || !video.download_file || !video.hls_prefix) return editPage(c, bundle, { errors: { video: 'bundle.video_invalid' } }, 422);
    const filename = safeFilename(`${video.title}.mp4`);
    if ((await q.listFiles(deps.db, bundle.id)).some((f) => f.filename === filename)) return editPage(c, bundle, { errors: { video: 'bundle.video_invalid' } }, 422);
    await q.insertFile(deps.db, { bundle_id: bundle.id, access: 'locked', filename, content_type: 'video/mp4', storage_key: `${video.hls_prefix}/${video.download_file}`, bytes: video.download_bytes ?? 0, video_id: video.id });
    return c.redirect(`/studio/bundles/${bundle.id}`, 303);
  });

  const fileSchema = z.object({ access: z.enum(['free', 'locked', 'bonus'], 'error.bad_request'), position: z.coerce.number().int().min(0).max(10000) });
  app.post('/bundles/:id/files/:fileId', async (c) => {
    const bundle = await bundleForAdmin(c);
    const file = await q.findFile(deps.db, c.req.param('fileId'));
    if (!file || file.bundle_id !== bundle.id) throw new NotFoundError();
    const parsed = validateForm(fileSchema, await readForm(c));
    if (!parsed.ok) return editPage(c, bundle, { errors: parsed.errors }, 422);
    await q.updateFile(deps.db, file.id, parsed.data.access, parsed.data.position);
    return c.redirect(`/studio/bundles/${bundle.id}`, 303);
  });

  app.post('/bundles/:id/files/:fileId/delete', async (c) => {
    const bundle = await bundleForAdmin(c);
    const file = await q.findFile(deps.db, c.req.param('fileId'));
    if (!file || file.bundle_id !== bundle.id) throw new NotFoundError();
    await q.deleteFile(deps.db, file.id);
    if (!file.video_id) await deps.storage.delete(file.storage_key);
    return c.redirect(`/studio/bundles/${bundle.id}`, 303);
  });

  return { pages: app, uploads: uploadRoutes };
}


function imageExtension(bytes: Uint8Array): 'jpg' | 'png' | 'webp' | undefined {
  const head = Buffer.from(bytes.subarray(0, 12));
  if (head[0] === 0xff && head[1] === 0xd8) return 'jpg';
  if (head.subarray(1, 4).toString('latin1') === 'PNG') return 'png';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return undefined;
}
