import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import QRCode from 'qrcode';
import {
  InvalidLightningAddressError,
  isLightningAddress,
  lightningAddressQrSvg,
  lightningUri,
  lnurlpUrl,
  parseLightningAddress,
} from './lightning-address.js';

/** The dark modules an SVG draws, as "row,col" cells (horizontal runs of `M x y h n v1 …z`). */
function darkCells(svg: string, margin: number): Set<string> {
  const cells = new Set<string>();
  const path = /<path[^>]* d="([^"]+)"/.exec(svg)![1]!;
  for (const m of path.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
    const [x, y, n] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let i = 0; i < n; i++) cells.add(`${y - margin},${x - margin + i}`);
  }
  return cells;
}

describe('Lightning Address', () => {
  it('reads name@domain.tld, lower-cased, tolerating spaces and a lightning: prefix', () => {
    assert.deepEqual(parseLightningAddress('  Camille@GetAlby.com '), { name: 'camille', domain: 'getalby.com' });
    assert.deepEqual(parseLightningAddress('lightning:tips+films@pay.example.org'), { name: 'tips+films', domain: 'pay.example.org' });
  });

  it('refuses what is not an address, saying which part is wrong', () => {
    const problem = (input: string) => {
      try {
        parseLightningAddress(input);
        return 'ok';
      } catch (error) {
        assert.ok(error instanceof InvalidLightningAddressError);
        return error.problem;
      }
    };
    assert.equal(problem('camille'), 'format');
    assert.equal(problem('a@b@example.org'), 'format');
    assert.equal(problem('@example.org'), 'format');
    assert.equal(problem('ca mille@example.org'), 'name');
    assert.equal(problem('camille!@example.org'), 'name');
    assert.equal(problem('camille@localhost'), 'domain');
    assert.equal(problem('camille@192.168.1.10'), 'domain');
    assert.equal(problem('camille@example.org:8080'), 'domain');
    assert.equal(problem('camille@-bad.example.org'), 'domain');
    assert.equal(isLightningAddress('camille@example.org'), true);
    assert.equal(isLightningAddress('https://example.org'), false);
  });

  it('points at the LNURL-pay well-known URL of the domain', () => {
    assert.equal(lnurlpUrl(parseLightningAddress('camille@getalby.com')), 'https://getalby.com/.well-known/lnurlp/camille');
    assert.equal(lnurlpUrl(parseLightningAddress('tips+x@example.org')), 'https://example.org/.well-known/lnurlp/tips%2Bx');
    assert.match(lnurlpUrl(parseLightningAddress('me@abcdefghijklmnop.onion')), /^http:\/\/abcdefghijklmnop\.onion\//);
  });

  it('builds the lightning: URI wallets open', () => {
    assert.equal(lightningUri(parseLightningAddress('Camille@GetAlby.com')), 'lightning:camille@getalby.com');
  });

  it('draws a QR code of the lightning: URI, module for module as the QR library encodes it', async () => {
    const address = parseLightningAddress('camille@getalby.com');
    const svg = lightningAddressQrSvg(address, { margin: 4 });
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1" role="img"/);
    assert.match(svg, /<title>camille@getalby\.com<\/title>/);
    const reference = await QRCode.toString('lightning:camille@getalby.com', { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
    const expected = new Set<string>();
    const { modules } = QRCode.create('lightning:camille@getalby.com', { errorCorrectionLevel: 'M' });
    for (let r = 0; r < modules.size; r++) for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) expected.add(`${r},${c}`);
    assert.deepEqual(darkCells(svg, 4), expected);
    assert.match(reference, /viewBox="0 0 (\d+) \1"/);
    assert.equal(Number(/viewBox="0 0 (\d+)/.exec(reference)![1]), modules.size, 'the same symbol size as the library renders');
  });

  it('escapes the title it is given', () => {
    const svg = lightningAddressQrSvg(parseLightningAddress('a@example.org'), { title: 'Tip <b>"me"</b>' });
    assert.match(svg, /<title>Tip &#60;b&#62;&#34;me&#34;&#60;\/b&#62;<\/title>/);
    assert.doesNotMatch(svg, /<b>/);
  });
});
