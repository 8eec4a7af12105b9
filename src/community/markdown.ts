import { renderMarkdown } from '../videos/index.js';

/**
 * Comments take a smaller Markdown subset than descriptions: emphasis, code, quotes, lists and links
 * (headings and rules become paragraphs). Sanitized by the videos' renderer, then narrowed.
 */
export function renderCommentMarkdown(markdown: string): string {
  return renderMarkdown(markdown)
    .replace(/<(\/?)h[3-6]>/g, '<$1p>')
    .replace(/<hr \/>|<hr>/g, '');
}
