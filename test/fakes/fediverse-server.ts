// A simulated remote fediverse server for tests: actors with real keys, documents served as
// ActivityPub, and inboxes that record what they receive.
import { createServer, type Server } from 'node:http';
import { generateCryptoKeyPair, signRequest } from '@fedify/fedify';
import { CryptographicKey, Endpoints, Person } from '@fedify/vocab';
import { getDocumentLoader } from '@fedify/vocab-runtime';

/** What a simulated remote inbox received. */
export interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A remote fediverse server on 127.0.0.1: actors with real keys, documents, and recording inboxes. */
export interface RemoteServer {
  origin: string;
  deliveries: Delivery[];
  /** Serves `document` at `path` (for objects an activity refers to by URL). */
  serve(path: string, document: unknown): void;
  /** Makes an actor `/users/{name}` and returns its URI and a signer for requests made as it. */
  addActor(name: string): Promise<RemoteActor>;
  close(): Promise<void>;
}

export interface RemoteActor {
  uri: string;
  keyId: string;
  privateKey: CryptoKey;
  /** Signs a POST of `activity` to `url` as this actor (HTTP Signatures, draft-cavage, RSA). */
  signedPost(url: string, activity: unknown): Promise<Request>;
}

export async function startRemoteServer(): Promise<RemoteServer> {
  const documents = new Map<string, unknown>();
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        deliveries.push({ path: req.url ?? '', headers: req.headers as Record<string, string>, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        res.writeHead(202).end();
        return;
      }
      const doc = documents.get(req.url ?? '');
      if (!doc) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/activity+json' }).end(JSON.stringify(doc));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const loader = getDocumentLoader();
  return {
    origin,
    deliveries,
    serve: (path, document) => documents.set(path, document),
    async addActor(name) {
      const uri = `${origin}/users/${name}`;
      const keyId = `${uri}#main-key`;
      const pair = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
      const person = new Person({
        id: new URL(uri),
        preferredUsername: name,
        inbox: new URL(`${uri}/inbox`),
        endpoints: new Endpoints({ sharedInbox: new URL(`${origin}/inbox`) }),
        publicKey: new CryptographicKey({ id: new URL(keyId), owner: new URL(uri), publicKey: pair.publicKey }),
      });
      documents.set(`/users/${name}`, await person.toJsonLd({ contextLoader: loader }));
      return {
        uri,
        keyId,
        privateKey: pair.privateKey,
        signedPost: (url, activity) =>
          signRequest(
            new Request(url, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: JSON.stringify(activity) }),
            pair.privateKey,
            new URL(keyId),
          ),
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
