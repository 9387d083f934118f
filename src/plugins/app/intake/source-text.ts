import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import type { HtmlToTextOptions } from 'html-to-text'
import { ProblemError } from '../../../lib/problem.ts'

// The text a source keeps: the one every quote and candidate offset refers to. Plain text is kept as sent (line
// endings made \n); HTML is turned into text first, by html-to-text: scripts, styles and other non-text elements are
// dropped, and headings, paragraphs, list items and table rows each become lines of their own.

/** The media types a source's text may be sent in, and what each is kept as. */
export const sourceMediaTypes = ['text/plain', 'text/html'] as const
export type SourceMediaType = (typeof sourceMediaTypes)[number]

const htmlOptions: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    ...['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'canvas', 'img', 'button', 'select']
      .map((selector) => ({ selector, format: 'skip' })),
    // A link reads as its words; the address is not part of the sentence.
    { selector: 'a', options: { ignoreHref: true } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    // List items become lines of their own, without a bullet or number that no sentence of the page has.
    { selector: 'ul', format: 'block' },
    { selector: 'ol', format: 'block' },
    { selector: 'li', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    // A table row becomes a line, its cells apart.
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false, colSpacing: 1 } }
  ]
}

function invalidText (field: string, message: string): ProblemError {
  return new ProblemError('invalidRequest', `${field === '/' ? 'The body' : `body ${field.slice(1)}`} ${message}.`, {
    errors: [{ in: 'body', field, message }]
  })
}

/**
 * A raw body as text: UTF-8 (the only charset read), without NUL bytes. Binary data is refused by name, never stored
 * with replacement characters in place of what was sent.
 */
export function decodeBody (body: Buffer): string {
  if (body.includes(0)) {
    throw invalidText('/', 'contains NUL bytes: it is binary data, not text; send the document\'s text as UTF-8')
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body)
  } catch {
    throw invalidText('/', 'is not valid UTF-8; send the document\'s text encoded as UTF-8')
  }
}

/** Text from HTML: what a reader of the page sees, a line per heading, paragraph, list item and table row. */
// Loaded on the first HTML source, not at start-up (200 ms and 10 MB that a server which only reads never needs); its
// CommonJS build, so that loading it stays synchronous like the rest of a write's checks.
let converter: typeof import('html-to-text').convert | undefined

export function htmlToText (html: string): string {
  converter ??= (createRequire(import.meta.url)('html-to-text') as typeof import('html-to-text')).convert
  return converter(html, htmlOptions)
}

/** What is stored for a text sent as `mediaType`: refused (400/422 naming `field`) when nothing readable is left. */
export function storedText (sent: string, mediaType: SourceMediaType, field: string): string {
  const text = (mediaType === 'text/html' ? htmlToText(sent) : sent).replace(/\r\n?/g, '\n')
  if (text.includes('\u0000')) throw invalidText(field, 'contains the NUL character (U+0000): it is binary data, not text')
  if (text.trim() === '') {
    if (sent.trim() === '') throw invalidText(field, 'is empty: a source needs its text')
    throw new ProblemError('unprocessableContent', `body ${field === '/' ? '' : `${field.slice(1)} `}holds no text once the HTML is read: only markup, scripts or styles.`, {
      errors: [{ in: 'body', field, message: 'holds no text once the HTML is read' }]
    })
  }
  return text
}

export function sha256 (text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
