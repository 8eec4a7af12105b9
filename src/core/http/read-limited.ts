/**
 * Reads a request or response body up to `maxBytes`; undefined when it is longer. A declared
 * Content-Length over the limit is refused without reading, and an undeclared one is cut as soon as it
 * passes the limit, so a huge body never sits in memory.
 */
export async function readBodyUpTo(message: Request | Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(message.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await message.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!message.body) return new Uint8Array();
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
