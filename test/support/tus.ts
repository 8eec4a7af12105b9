import type { TestClient } from './client.js';

/** Encodes tus Upload-Metadata: comma-separated "key base64(value)" pairs. */
export function tusMetadata(meta: Record<string, string>): string {
  return Object.entries(meta)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
}

const TUS = { 'tus-resumable': '1.0.0' };

/** Creates an upload (tus POST); returns the response and the upload's URL. */
export async function tusCreate(client: TestClient, size: number, meta: Record<string, string>, extraHeaders: Record<string, string> = {}, endpoint = '/studio/uploads/') {
  const res = await client.request(endpoint, {
    method: 'POST',
    headers: { ...TUS, 'upload-length': String(size), 'upload-metadata': tusMetadata(meta), 'x-csrf-token': client.csrf, ...extraHeaders },
  });
  return { res, location: res.headers.get('location') ?? undefined };
}

/** Sends bytes at `offset` (tus PATCH). */
export function tusPatch(client: TestClient, location: string, offset: number, bytes: Uint8Array) {
  const body = new Uint8Array(bytes); // a copy on its own ArrayBuffer, as fetch bodies want
  return client.request(location, {
    method: 'PATCH',
    headers: { ...TUS, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'x-csrf-token': client.csrf },
    body,
  });
}

/** Asks where an upload stands (tus HEAD): the server's Upload-Offset. */
export async function tusOffset(client: TestClient, location: string): Promise<number> {
  const res = await client.request(location, { method: 'HEAD', headers: { ...TUS, 'x-csrf-token': client.csrf } });
  return Number(res.headers.get('upload-offset'));
}

/** A whole upload in one go; returns the final response (the server's verdict on the file). */
export async function tusUpload(client: TestClient, bytes: Uint8Array, meta: Record<string, string>, endpoint = '/studio/uploads/'): Promise<Response> {
  const { res, location } = await tusCreate(client, bytes.length, meta, {}, endpoint);
  if (res.status !== 201 || !location) return res;
  return tusPatch(client, location, 0, bytes);
}
