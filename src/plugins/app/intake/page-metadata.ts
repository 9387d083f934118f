import path from 'node:path'

// What a page file says of itself, for sending it as a source (npm run ingest): the metadata POST /v1/sources takes
// beside the text.

/** Text between tags, without the tags and with entities of plain text decoded (for a title). */
function tagText (html: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'i').exec(html)
  const text = match?.[1]?.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim()
  return text === '' ? undefined : text
}

/**
 * What a page says of itself, as hospital pages print it: a breadcrumb line ("Home>Women Health Care Division"), the
 * title (the HTML title or first heading; in text, the first line that is no breadcrumb) and "Updated: 2021-03-03".
 */
export function pageMetadata (text: string, html: boolean, fileName: string): { title: string, breadcrumb?: string, statedOn?: string } {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '')
  const breadcrumbLine = html ? undefined : lines.find((line) => line.includes('>') && !line.includes('<') && line.length <= 200)
  const title = (html ? tagText(text, 'h1') ?? tagText(text, 'title') : lines.find((line) => line !== breadcrumbLine)) ??
    path.basename(fileName, path.extname(fileName))
  const statedOn = /Updated:?\s*(\d{4}-\d{2}-\d{2})/i.exec(text)?.[1]
  return {
    title: title.slice(0, 200),
    ...(breadcrumbLine === lines[0] && breadcrumbLine !== undefined ? { breadcrumb: breadcrumbLine } : {}),
    ...(statedOn === undefined ? {} : { statedOn })
  }
}
