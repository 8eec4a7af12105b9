import QRCode from 'qrcode';

/**
 * Lightning Addresses (LUD-16): `name@domain` names an LNURL-pay endpoint on the domain, so fans tip the
 * creator's own wallet directly. Fanfare only shows the address and its QR code; the fan's wallet does
 * the rest. Nothing here touches the network.
 */

/** A Lightning Address, split and lower-cased. */
export interface LightningAddress {
  name: string;
  domain: string;
}

/** Why a string is not a Lightning Address. */
export type LightningAddressProblem = 'format' | 'name' | 'domain';

/** The text is not a usable Lightning Address; `problem` says which part. */
export class InvalidLightningAddressError extends Error {
  constructor(readonly problem: LightningAddressProblem) {
    super(`not a Lightning Address (${problem})`);
    this.name = new.target.name;
  }
}

/** LUD-16: the name is limited to a-z 0-9 - _ . + */
const NAME = /^[a-z0-9._+-]{1,64}$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A public DNS name ending in an alphabetic top-level domain: no IP address, port or `localhost`. */
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Reads `name@domain.tld` (surrounding spaces and a `lightning:` prefix are tolerated; case is not
 * significant). Throws `InvalidLightningAddressError`.
 */
export function parseLightningAddress(input: string): LightningAddress {
  const text = input.trim().replace(/^lightning:/i, '').toLowerCase();
  const at = text.lastIndexOf('@');
  // 254: the length of an e-mail address, and of channels.lightning_address.
  if (text.length > 254 || at <= 0 || at !== text.indexOf('@') || at === text.length - 1) throw new InvalidLightningAddressError('format');
  const name = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (!NAME.test(name)) throw new InvalidLightningAddressError('name');
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TLD.test(labels.at(-1)!)) {
    throw new InvalidLightningAddressError('domain');
  }
  return { name, domain };
}

/** True when `input` is a Lightning Address `parseLightningAddress` accepts. */
export function isLightningAddress(input: string): boolean {
  try {
    parseLightningAddress(input);
    return true;
  } catch {
    return false;
  }
}

/** `name@domain`, canonical. */
export function formatLightningAddress(address: LightningAddress): string {
  return `${address.name}@${address.domain}`;
}

/**
 * The LNURL-pay endpoint a wallet fetches: `https://domain/.well-known/lnurlp/name` (plain HTTP for an
 * onion service, as LUD-16 says).
 */
export function lnurlpUrl(address: LightningAddress): string {
  const scheme = address.domain.endsWith('.onion') ? 'http' : 'https';
  return `${scheme}://${address.domain}/.well-known/lnurlp/${encodeURIComponent(address.name)}`;
}

/** The URI wallets open from a link or a QR code: `lightning:name@domain`. */
export function lightningUri(address: LightningAddress): string {
  return `lightning:${formatLightningAddress(address)}`;
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** How `lightningAddressQrSvg` draws the code. */
export interface QrSvgOptions {
  /** Quiet zone around the code, in modules (4 is the standard's minimum for reliable scans). */
  margin?: number;
  /** Text for assistive technology, e.g. "Scan to tip camille@getalby.com". */
  title?: string;
}

/**
 * An SVG QR code of `lightning:name@domain`, computed here (no network, no image file): one `<path>`
 * of dark modules on a white background, scaling to any size with crisp edges. Safe to embed as is:
 * the only text in it is the escaped title.
 */
export function lightningAddressQrSvg(address: LightningAddress, options: QrSvgOptions = {}): string {
  const { modules } = QRCode.create(lightningUri(address), { errorCorrectionLevel: 'M' });
  const margin = options.margin ?? 4;
  const size = modules.size;
  const full = size + margin * 2;
  let path = '';
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && modules.get(row, col)) col++;
      path += `M${start + margin} ${row + margin}h${col - start}v1h-${col - start}z`;
    }
  }
  const title = options.title ?? formatLightningAddress(address);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" role="img" shape-rendering="crispEdges">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="${full}" height="${full}" fill="#fff"/>` +
    `<path d="${path}" fill="#000"/></svg>`
  );
}
