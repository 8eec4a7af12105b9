// Test helper (not shipped code): a published bundle made through the Studio's own routes, with uploaded
// files of several kinds, each free, locked or bonus.
import { createHash } from 'node:crypto';
import type { TestClient } from './client.js';
import type { TestSite } from './harness.js';
import { tusUpload } from './tus.js';

export interface TestBundleFile {
  filename: string;
  filetype: string;
  bytes: Uint8Array;
  access: 'free' | 'locked' | 'bonus';
}

/** Bytes that start as files of the type do, then `size` bytes of a repeatable pattern (seeded by the name). */
export function fakeFile(kind: 'pdf' | 'png' | 'zip' | 'mp3', size: number, seed = kind): Uint8Array {
  const head = { pdf: Buffer.from('%PDF-1.4\n'), png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), zip: Buffer.from('PK\u0003\u0004'), mp3: Buffer.from('ID3\u0004') }[kind];
  const body = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(body, at);
    block = createHash('sha256').update(block).digest();
  }
  return new Uint8Array(Buffer.concat([head, body]));
}

/** The default files: a free PNG, a locked PDF and MP3, a bonus ZIP. */
export function defaultBundleFiles(size = 50_000): TestBundleFile[] {
  return [
    { filename: 'cover art.png', filetype: 'image/png', bytes: fakeFile('png', size), access: 'free' },
    { filename: 'booklet.pdf', filetype: 'application/pdf', bytes: fakeFile('pdf', size * 3), access: 'locked' },
    { filename: 'song.mp3', filetype: 'audio/mpeg', bytes: fakeFile('mp3', size * 2), access: 'locked' },
    { filename: 'stems.zip', filetype: 'application/zip', bytes: fakeFile('zip', size), access: 'bonus' },
  ];
}

/**
 * Creates the bundle `slug` on the channel camille as `owner` (an admin), uploads `files` by tus, sets
 * each one's access, and publishes it. Returns the bundle's id and its files' ids by name.
 */
export async function createTestBundle(
  site: TestSite,
  owner: TestClient,
  options: { slug?: string; files?: TestBundleFile[]; minimum?: string; suggested?: string; email?: boolean; payment?: boolean; bonus?: boolean } = {},
): Promise<{ id: string; slug: string; fileIds: Record<string, string> }> {
  const slug = options.slug ?? 'first-album';
  await owner.get('/studio/channels/camille/bundles');
  const fields: Record<string, string> = { title: 'First album', slug, description: 'An **album** with its booklet.', minimum: options.minimum ?? '0', suggested: options.suggested ?? '5', published: 'on' };
  if (options.email !== false) fields['unlock_by_email'] = 'on';
  if (options.payment !== false) fields['unlock_by_payment'] = 'on';
  if (options.bonus !== false) fields['bonus_above_average'] = 'on';
  const created = await owner.post('/studio/channels/camille/bundles', fields);
  if (created.res.status !== 303) throw new Error(`bundle not created: ${created.res.status} ${created.html.slice(0, 300)}`);
  const id = created.res.headers.get('location')!.split('/').pop()!;
  const fileIds: Record<string, string> = {};
  for (const file of options.files ?? defaultBundleFiles()) {
    const res = await tusUpload(owner, file.bytes, { filename: file.filename, filetype: file.filetype, bundle: id }, '/studio/bundle-uploads/');
    if (res.status !== 200) throw new Error(`upload of ${file.filename} refused: ${res.status} ${await res.text()}`);
    const { fileId } = (await res.json()) as { fileId: string };
    fileIds[file.filename] = fileId;
    const set = await owner.post(`/studio/bundles/${id}/files/${fileId}`, { access: file.access, position: String(Object.keys(fileIds).length) });
    if (set.res.status !== 303) throw new Error(`access of ${file.filename} not set: ${set.res.status}`);
  }
  return { id, slug, fileIds };
}

/** The confirmation token in the latest e-mail to `to` (the bundle's double opt-in link). */
export function confirmToken(outbox: string[], to: string): string {
  const mail = outbox.filter((m) => m.includes(`To: ${to}`)).at(-1);
  if (!mail) throw new Error(`no e-mail to ${to}`);
  const unfolded = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /\/b\/confirm\?token=([A-Za-z0-9_-]+)/.exec(unfolded);
  if (!match) throw new Error(`no confirmation link in the e-mail to ${to}`);
  return match[1]!;
}
