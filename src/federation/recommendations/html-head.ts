import { Parser } from 'htmlparser2';

/** What a page's <head> says about it: the parts the resolver reads. */
export interface HtmlHead {
  /** `<meta property|name=… content=…>`, first value per key, keys lower-cased (`og:title`). */
  meta: Map<string, string>;
  /** `<link rel="alternate" type=… href=…>`: first href per type, types lower-cased. */
  alternates: Map<string, string>;
  canonical?: string;
  title?: string;
  /** The parser reached `</head>` or `<body>`: nothing of the head is missing. */
  complete: boolean;
}

/**
 * Reads the metadata of an HTML page's head with a real HTML parser (htmlparser2: entities decoded,
 * attributes in any order and any quoting). Tags after the head are ignored. Never throws: broken
 * HTML gives whatever could be read.
 */
export function parseHtmlHead(html: string): HtmlHead {
  const head: HtmlHead = { meta: new Map(), alternates: new Map(), complete: false };
  let inTitle = false;
  let title = '';
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (head.complete) return;
        if (name === 'body') head.complete = true;
        else if (name === 'title') inTitle = true;
        else if (name === 'meta') readMeta(head, attrs);
        else if (name === 'link') readLink(head, attrs);
      },
      ontext(text) {
        if (inTitle && !head.complete) title += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (name === 'head') head.complete = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  // end() closes the elements still open, which would look like a finished head: decide before it.
  const complete = head.complete;
  parser.end();
  head.complete = complete;
  const trimmed = title.replace(/\s+/g, ' ').trim();
  if (trimmed) head.title = trimmed;
  return head;
}

function readMeta(head: HtmlHead, attrs: Record<string, string>): void {
  const key = (attrs['property'] ?? attrs['name'] ?? '').trim().toLowerCase();
  const content = attrs['content']?.trim();
  if (key && content && !head.meta.has(key)) head.meta.set(key, content);
}

function readLink(head: HtmlHead, attrs: Record<string, string>): void {
  const rel = (attrs['rel'] ?? '').toLowerCase().split(/\s+/);
  const href = attrs['href']?.trim();
  if (!href) return;
  if (rel.includes('canonical') && !head.canonical) head.canonical = href;
  const type = (attrs['type'] ?? '').trim().toLowerCase();
  if (rel.includes('alternate') && type && !head.alternates.has(type)) head.alternates.set(type, href);
}

/** Decodes a fetched page: the charset the server named when the runtime knows it, else UTF-8. */
export function decodeText(body: Uint8Array, charset?: string): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
