import assert from 'node:assert/strict';
import type { TestClient } from '../client.js';

/** Pays on the test bank's page with `card` (a success by default); returns where the bank sends the fan. */
export async function payOnTestBank(client: TestClient, checkoutUrl: string, card = '4242424242424242'): Promise<string> {
  const path = new URL(checkoutUrl).pathname;
  await client.get(path);
  const paid = await client.post(path, { number: card, expiry: '12/34', cvc: '123' });
  assert.equal(paid.res.status, 303, paid.html);
  return paid.res.headers.get('location')!;
}
