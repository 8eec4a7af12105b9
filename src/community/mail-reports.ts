/**
 * Reading what mail servers send back about our e-mails, from the raw message (RFC 5322 + MIME):
 * a delivery status notification (RFC 3464: `multipart/report; report-type=delivery-status`, whose
 * `message/delivery-status` part has one field block per recipient with `Action` and `Status`) or an
 * abuse feedback report (RFC 5965: `report-type=feedback-report`, whose `message/feedback-report` part
 * has `Feedback-Type`). Both usually carry the original message or its headers as a third part, which
 * holds our Message-ID. Only what these formats define is read; anything else is "not a report".
 */

/** One MIME entity: its headers (lower-case names, unfolded; the first of a name kept), its body, its parts. */
export interface MimePart {
  headers: Map<string, string>;
  body: string;
  parts: MimePart[];
}

/** Header fields of a block of text (a message's head, or one field block of a delivery-status part). */
export function parseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

function decodeBody(body: string, encoding: string | undefined): string {
  const e = (encoding ?? '').toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return body;
}

/** Parses a message or a body part; multiparts and attached messages are parsed into `parts` (10 levels at most). */
export function parseMime(raw: string, depth = 0): MimePart {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const headers = parseFields(split < 0 ? text : text.slice(0, split));
  const rawBody = split < 0 ? '' : text.slice(split + 2);
  const type = (headers.get('content-type') ?? 'text/plain').toLowerCase();
  const part: MimePart = { headers, body: decodeBody(rawBody, headers.get('content-transfer-encoding')), parts: [] };
  if (depth >= 10) return part;
  const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(headers.get('content-type') ?? '');
  if (type.startsWith('multipart/') && boundary) {
    const delimiter = `--${boundary[1] ?? boundary[2]}`;
    const chunks = rawBody.split(new RegExp(`^${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*$`, 'm'));
    // Before the first delimiter is the preamble, after the last the epilogue.
    part.parts = chunks.slice(1, -1).map((chunk) => parseMime(chunk.replace(/^\n/, ''), depth + 1));
  } else if (type.startsWith('message/rfc822') || type.startsWith('text/rfc822-headers') || /^message\/global\s*(;|$)/.test(type)) {
    part.parts = [parseMime(type.startsWith('text/rfc822-headers') ? `${rawBody.trim()}\n\n` : rawBody, depth + 1)];
  }
  return part;
}

function find(part: MimePart, type: string): MimePart | undefined {
  if ((part.headers.get('content-type') ?? '').toLowerCase().startsWith(type)) return part;
  for (const child of part.parts) {
    const found = find(child, type);
    if (found) return found;
  }
  return undefined;
}

/** `rfc822; Someone@Example.org` or `<a@b>` → `someone@example.org`. */
function address(value: string | undefined): string | undefined {
  const m = /([^\s<>;:"]+@[^\s<>;:"]+)/.exec(value ?? '');
  return m ? m[1]!.toLowerCase() : undefined;
}

/** What a report says about one of our e-mails. */
export interface MailReport {
  kind: 'bounce' | 'delay' | 'complaint' | 'not-spam';
  /** Addresses named by the report (the recipients of a DSN; the original recipient of a complaint, if not redacted). */
  recipients: string[];
  /** The DSN's status (5.1.1) or the report's feedback type (abuse). */
  detail: string;
  /** The Message-ID of the original message, when it came back with the report. */
  originalMessageId: string | undefined;
  /** The original message's To address, if present. */
  originalTo: string | undefined;
  /** The addresses the report itself was delivered to (To, Delivered-To, X-Original-To): the VERP address. */
  deliveredTo: string[];
}

/** The report in a raw message, or undefined when it is neither a DSN nor a feedback report. */
export function readMailReport(raw: string): MailReport | undefined {
  const message = parseMime(raw);
  const deliveredTo = ['to', 'delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => (message.headers.get(h) ?? '').split(',').map(address).filter((a): a is string => !!a));
  const original = find(message, 'message/rfc822')?.parts[0] ?? find(message, 'text/rfc822-headers')?.parts[0];
  const common = {
    originalMessageId: original?.headers.get('message-id')?.trim(),
    originalTo: address(original?.headers.get('to')),
    deliveredTo,
  };
  const status = find(message, 'message/delivery-status') ?? find(message, 'message/global-delivery-status');
  if (status) {
    // Per-message fields, then one block per recipient, separated by blank lines.
    const blocks = status.body.replace(/\r\n/g, '\n').split(/\n\s*\n/).slice(1).map(parseFields).filter((f) => f.has('final-recipient') || f.has('original-recipient'));
    const failed = blocks.filter((f) => (f.get('action') ?? '').toLowerCase() === 'failed' && /^5\.\d{1,3}\.\d{1,3}/.test(f.get('status') ?? ''));
    const chosen = failed.length > 0 ? failed : blocks;
    const recipients = chosen.flatMap((f) => [address(f.get('original-recipient')), address(f.get('final-recipient'))].filter((a): a is string => !!a));
    return { kind: failed.length > 0 ? 'bounce' : 'delay', recipients, detail: (chosen[0]?.get('status') ?? '').slice(0, 20), ...common };
  }
  const feedback = find(message, 'message/feedback-report');
  if (feedback) {
    const fields = parseFields(feedback.body);
    const type = (fields.get('feedback-type') ?? '').toLowerCase().slice(0, 40);
    const recipients = [address(fields.get('original-rcpt-to'))].filter((a): a is string => !!a);
    return { kind: type === 'not-spam' ? 'not-spam' : 'complaint', recipients, detail: type, ...common };
  }
  return undefined;
}
