import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, setupFields } from '../../test/support/client.js';
import { addToTeam, createTestSite, readOutbox, signUpFan, type TestSite } from '../../test/support/harness.js';

describe('studio and channels (a collective with several channels)', () => {
  let site: TestSite;
  let owner: TestClient;
  before(async () => {
    site = await createTestSite();
    owner = new TestClient(site.app);
    await owner.post('/setup', setupFields({ channel_language: 'en' }));
  });
  after(() => site.close());

  it('sends anonymous visitors to the login page and refuses fans', async () => {
    const anonymous = await new TestClient(site.app).get('/studio');
    assert.equal(anonymous.res.status, 303);
    assert.equal(anonymous.res.headers.get('location'), '/login?back=%2Fstudio');
    const member = await signUpFan(site, 'fan@example.org');
    const refused = await member.get('/studio');
    assert.equal(refused.res.status, 403);
    assert.match(refused.html, /The Studio is for the site owner and channel teams/);
    assert.doesNotMatch(refused.html, /href="\/studio"/, 'fans see no Studio link');
  });

  it('lets the owner create a second channel; the home page then lists both', async () => {
    await owner.get('/studio/channels/new');
    const created = await owner.post('/studio/channels/new', {
      channel_name: 'Noé joue', handle: 'noe', description: 'Jeux vidéo', channel_language: 'fr',
    });
    assert.equal(created.res.status, 303);
    assert.equal(created.res.headers.get('location'), '/studio/channels/noe?notice=channel_created');
    const home = await new TestClient(site.app).get('/');
    assert.match(home.html, /href="\/c\/camille"/);
    assert.match(home.html, /href="\/c\/noe"/);
    const about = await new TestClient(site.app).get('/c/noe/about');
    assert.equal(about.res.status, 200);
    assert.match(about.html, /Jeux vidéo/);
  });

  it('refuses a taken handle and invalid channel fields, keeping the input', async () => {
    const taken = await owner.post('/studio/channels/new', { channel_name: 'Again', handle: 'NOE', channel_language: 'en' });
    assert.equal(taken.res.status, 422);
    assert.match(taken.html, /This handle is already taken/);
    assert.match(taken.html, /value="Again"/);
    const bad = await owner.post('/studio/channels/new', { channel_name: 'x'.repeat(81), handle: 'a', channel_language: 'en', description: 'y'.repeat(5001) });
    assert.equal(bad.res.status, 422);
    assert.match(bad.html, /At most 80 characters/);
    assert.match(bad.html, /At most 5000 characters/);
  });

  it('gives a channel its own admin, who manages that channel only', async () => {
    const noeUser = await signUpFan(site, 'noe@example.org');
    await addToTeam(site, owner, 'noe', noeUser, 'noe@example.org', 'admin');
    const studio = await noeUser.get('/studio');
    assert.equal(studio.res.status, 200);
    assert.match(studio.html, /\/studio\/channels\/noe"/);
    assert.doesNotMatch(studio.html, /\/studio\/channels\/camille"/);
    assert.equal((await noeUser.get('/studio/channels/noe')).res.status, 200);
    assert.equal((await noeUser.get('/studio/channels/camille')).res.status, 403);
    assert.equal((await noeUser.post('/studio/channels/camille', { channel_name: 'Hacked', channel_language: 'en' })).res.status, 403);
    assert.equal((await noeUser.get('/studio/channels/new')).res.status, 403, 'only the owner creates channels');
    const saved = await noeUser.post('/studio/channels/noe', { channel_name: 'Noé joue encore', description: '', channel_language: 'fr' });
    assert.equal(saved.res.status, 303);
    assert.match((await new TestClient(site.app).get('/c/noe')).html, /Noé joue encore/);
  });

  it('lets an editor into the Studio but not into channel settings', async () => {
    const editor = await signUpFan(site, 'ed@example.org');
    await addToTeam(site, owner, 'noe', editor, 'ed@example.org', 'editor');
    assert.equal((await editor.get('/studio')).res.status, 200);
    assert.equal((await editor.get('/studio/channels/noe')).res.status, 403);
    assert.equal((await editor.get('/studio/channels/noe/team')).res.status, 403);
  });

  it('shows in the sidebar only the sections each role may open', async () => {
    const editor = await signUpFan(site, 'sidebar-editor@example.org');
    await addToTeam(site, owner, 'noe', editor, 'sidebar-editor@example.org', 'editor');
    const sidebar = async (client: TestClient, path: string) => {
      const nav = /<nav aria-label="Studio" class="studio-nav">([\s\S]*?)<\/nav>/.exec((await client.get(path)).html)?.[1] ?? '';
      return [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!).filter((href) => href.startsWith('/studio/channels/noe'));
    };
    const statuses = async (client: TestClient, links: string[]) =>
      Object.fromEntries(await Promise.all(links.map(async (href) => [href, (await client.get(href)).res.status])));

    const forEditor = await sidebar(editor, '/studio/channels/noe/videos');
    assert.deepEqual(forEditor, ['/studio/channels/noe/videos'], 'an editor sees the sections an editor may open, no admin one');
    const forAdmin = await sidebar(owner, '/studio/channels/noe/videos');
    for (const section of ['/studio/channels/noe', '/studio/channels/noe/team', '/studio/channels/noe/tips', '/studio/channels/noe/fediverse']) {
      assert.ok(forAdmin.includes(section), `the admin's sidebar lists ${section}: ${forAdmin.join(' ')}`);
    }
    // Whatever a role is shown opens for it.
    assert.deepEqual(await statuses(editor, forEditor), Object.fromEntries(forEditor.map((href) => [href, 200])));
    assert.deepEqual(await statuses(owner, forAdmin), Object.fromEntries(forAdmin.map((href) => [href, 200])));
    // A video's page, outside /studio/channels/…, names its channel: the editor's sidebar there is the same.
    const [video] = await site.deps.db.query<{ id: string }>(
      `INSERT INTO videos (channel_id, short_id, title, status) SELECT id, 'sidebar0001', 'A clip', 'processing' FROM channels WHERE handle = 'noe' RETURNING id`,
    );
    assert.deepEqual(await sidebar(editor, `/studio/videos/${video!.id}`), ['/studio/channels/noe/videos']);
    // The same rule on the Studio home's table of channels.
    const home = (await editor.get('/studio')).html;
    assert.match(home, /href="\/studio\/channels\/noe\/videos"/);
    assert.doesNotMatch(home, /href="\/studio\/channels\/noe\/(team|tips)"/);
  });

  it('refuses team changes that make no sense', async () => {
    const badRole = await owner.post('/studio/channels/noe/team', { email: 'ed@example.org', role: 'king' });
    assert.equal(badRole.res.status, 422);
    const adminsOfNoe = () =>
      site.deps.db.query<{ user_id: string }>(
        `SELECT r.user_id FROM channel_roles r JOIN channels c ON c.id = r.channel_id WHERE c.handle = 'noe' AND r.role = 'admin'`,
      );
    // Two admins now (the owner, who created it, and Noé): removing one is fine, the last one stays.
    const noeId = (await site.deps.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'noe@example.org'`))[0]!.id;
    assert.equal((await adminsOfNoe()).length, 2);
    assert.equal((await owner.post(`/studio/channels/noe/team/${noeId}/remove`, {})).res.status, 303);
    const [last] = await adminsOfNoe();
    const refused = await owner.post(`/studio/channels/noe/team/${last!.user_id}/remove`, {});
    assert.equal(refused.res.status, 409);
    assert.match(refused.html, /at least one admin/);
    const garbage = await owner.post('/studio/channels/noe/team/not-a-uuid/remove', {});
    assert.equal(garbage.res.status, 404);
    const noChannel = await owner.post('/studio/channels/nope/team', { email: 'ed@example.org', role: 'editor' });
    assert.equal(noChannel.res.status, 404);
  });

  // Issue 9: the form said "No account uses this address" for an unknown one, so it told an admin who
  // is registered. Every address is now invited, and the answers and the team page are the same.
  it('answers the team form alike whether or not the address has an account', async () => {
    await signUpFan(site, 'known@example.org');
    const known = await owner.post('/studio/channels/noe/team', { email: 'known@example.org', role: 'editor' });
    const unknown = await owner.post('/studio/channels/noe/team', { email: 'unknown@example.org', role: 'editor' });
    assert.deepEqual([known.res.status, known.res.headers.get('location')], [unknown.res.status, unknown.res.headers.get('location')]);
    const page = await owner.get('/studio/channels/noe/team');
    const line = (email: string) => new RegExp(`${email.replace('.', '\\.')} — editor, invited on`);
    assert.match(page.html, line('known@example.org'));
    assert.match(page.html, line('unknown@example.org'));
    for (const email of ['known@example.org', 'unknown@example.org']) assert.ok(readOutbox(site.outboxDir).some((m) => m.includes(`To: ${email}`) && m.replace(/=\r?\n/g, '').includes('team-invitations/')), email);
  });

  it('gives the invited role only to the invited address, once, signed in', async () => {
    const invitee = await signUpFan(site, 'invitee@example.org');
    const intruder = await signUpFan(site, 'intruder@example.org');
    await owner.post('/studio/channels/noe/team', { email: 'invitee@example.org', role: 'editor' });
    const mail = readOutbox(site.outboxDir).filter((m) => m.includes('To: invitee@example.org')).at(-1)!.replace(/=\r?\n/g, '');
    const path = /\/team-invitations\/[A-Za-z0-9_-]+/.exec(mail)![0];
    assert.equal((await new TestClient(site.app).get(path)).res.status, 303, 'visitors sign in first');
    assert.equal((await intruder.post(path, {})).res.status, 403, 'another account cannot take it');
    assert.equal((await invitee.get(path)).res.status, 200);
    assert.equal((await invitee.post(path, {})).res.status, 303);
    assert.equal((await invitee.get('/studio')).res.status, 200);
    assert.equal((await invitee.post(path, {})).res.status, 404, 'used once');
  });

  it('answers unknown channels with a translated 404', async () => {
    const { res, html } = await new TestClient(site.app, { 'accept-language': 'fr' }).get('/c/doesnotexist');
    assert.equal(res.status, 404);
    assert.match(html, /Il n&#39;y a pas de chaîne ici|Il n'y a pas de chaîne ici/);
    assert.equal((await new TestClient(site.app).get('/c/%00%FF')).res.status, 404);
    assert.equal((await new TestClient(site.app).get('/media/avatars/../../etc/passwd')).res.status, 404);
  });
});
