// The supported Node (issue 9) and connections other servers keep alive (issue 10, D6), on a real server.
import assert from 'node:assert/strict';
import { request, Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startRemoteServer, type RemoteServer } from '../fakes/fediverse-server.js';
import { FEDERATION_ENV, setUpSite } from '../support/federation.js';
import { startServer, type RunningServer } from '../support/server.js';

const IDLE_MS = 30_000;

describe('a real server on the supported Node', { timeout: 600_000 }, () => {
  let server: RunningServer;
  let remote: RemoteServer;

  before(async () => {
    // info level: the start-up line says which Node runs the server.
    server = await startServer({ env: { ...FEDERATION_ENV, LOG_LEVEL: 'info' } });
    await setUpSite(server, 'keepalive', 'Kim');
    remote = await startRemoteServer();
  });
  after(async () => {
    await remote?.close();
    await server?.close();
  });

  it('runs the tests and the server on Node 22 or later (the registry Node 24 when the system one is older)', async () => {
    assert.ok(Number(process.versions.node.split('.')[0]) >= 22, `tests run on ${process.version}`);
    await server.waitForOutput(/Fanfare is listening/);
    const node = /"node":"(v\d+)/.exec(server.output())?.[1];
    assert.ok(node && Number(node.slice(1)) >= 22, `the server runs on ${node}`);
  });

  it('accepts a signed delivery on a connection left idle for 30 s (PeerTube reuses pooled connections)', async () => {
    const actor = await remote.addActor('peertube');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const inbox = `${server.url}/ap/c/keepalive/inbox`;
    /** One request through the pooled agent; says whether it went over a reused connection. */
    const send = async (n: number) => {
      const signed = await actor.signedPost(inbox, {
        '@context': 'https://www.w3.org/ns/activitystreams',
        id: `${actor.uri}/follows/${n}`,
        type: 'Follow',
        actor: actor.uri,
        object: `${server.url}/ap/c/keepalive`,
      });
      const body = Buffer.from(await signed.arrayBuffer());
      const headers = Object.fromEntries(signed.headers);
      return new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request(inbox, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    };
    const first = await send(1);
    assert.ok(first.status < 300, `first delivery answered ${first.status}`);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const second = await send(2);
    agent.destroy();
    assert.equal(second.reused, true, 'the idle connection was still open and reused');
    assert.ok(second.status < 300, `the delivery after 30 s idle answered ${second.status}`);
  });
});
