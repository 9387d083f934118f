import { Type } from 'typebox'
import { ref } from './common.ts'

// The change feed: the audited writes in commit order (plugins/app/changes).

export const changeActions = ['create', 'update', 'archive', 'restore'] as const

export const Change = Type.Object({
  cursor: Type.String({
    pattern: '^[0-9]+$',
    description: 'This change\'s place in the feed; pass it as `since` to read what came after it (also the SSE event id)',
    examples: ['1042']
  }),
  resource: Type.String({ description: 'The collection under /v1 the record belongs to', examples: ['departments'] }),
  id: Type.String({ format: 'uuid', description: 'The record\'s id (kept by an archive and a restore)' }),
  key: Type.String({ description: 'The key its URL uses: slug, code or id', examples: ['general-gynecology'] }),
  version: Type.Integer({ minimum: 1, description: 'The record\'s version after this change (before it, for an archive)', examples: [3] }),
  action: Type.Enum(changeActions, { description: 'create, update, archive (deleted, kept restorable) or restore' }),
  at: Type.String({ format: 'date-time', description: 'When the writing transaction began (the feed\'s order is commit order, which may differ by a few milliseconds)' }),
  record: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
    description: 'The representation this change produced, as GET of `location` answered right after it (null for an archive)',
    examples: [{ id: '3026767c-b9e3-4d63-adae-f5cef794a5d6', slug: 'general-gynecology', name: 'General Gynecology Department', version: 3 }]
  }),
  location: Type.Union([Type.String(), Type.Null()], {
    description: 'The record\'s URL; after an archive, its archived copy\'s (/v1/archive/{id}, write scope)',
    examples: ['/v1/departments/general-gynecology']
  })
}, { $id: 'Change', additionalProperties: false })

export const ChangePage = Type.Object({
  data: Type.Array(ref(Change)),
  page: Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: 1000, examples: [100] }),
    since: Type.String({ description: 'The cursor this page was read after', examples: ['1000'] }),
    nextCursor: Type.String({
      description: 'Where to continue: the last change\'s cursor, or `since` when the page is empty. Never null: the feed has no end',
      examples: ['1042']
    }),
    more: Type.Boolean({ description: 'Whether more changes are there already; when false, wait (or stream) before asking again' })
  }, { additionalProperties: false })
}, { $id: 'ChangePage', description: 'Changes after `since`, oldest first', additionalProperties: false })

export const schemas = [Change, ChangePage]
