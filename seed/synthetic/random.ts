import { createHash } from 'node:crypto'

// Everything the synthetic region holds is derived from the seed number: random choices from a seeded generator,
// identifiers from a hash of a stable name. No clock and no gen_random_uuid, so a run is reproducible byte for byte.
// Both are a few lines on node:crypto, so no package is added for them.

/** A seeded pseudo-random generator (sfc32: small, fast, and good enough for made-up data). */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor (key: string) {
    const digest = createHash('sha256').update(key).digest()
    this.a = digest.readUInt32LE(0)
    this.b = digest.readUInt32LE(4)
    this.c = digest.readUInt32LE(8)
    this.d = digest.readUInt32LE(12)
  }

  /** A float in [0, 1). */
  next (): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return (t >>> 0) / 4294967296
  }

  /** An integer in [min, max]. */
  int (min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** A float in [min, max). */
  between (min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  chance (probability: number): boolean {
    return this.next() < probability
  }

  pick<T> (items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  /** A new array in random order (Fisher–Yates). */
  shuffle<T> (items: readonly T[]): T[] {
    const result = [...items]
    for (let i = result.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const swap = result[i] as T
      result[i] = result[j] as T
      result[j] = swap
    }
    return result
  }
}

// RFC 4122 name-based identifiers (version 5, SHA-1) in a namespace of the generator's own.
const namespace = Buffer.from('8f2c7a4e5b1d4e0a9c3f6d2b1a0e7c55', 'hex')

export function nameUuid (name: string): string {
  const bytes = createHash('sha1').update(namespace).update(name).digest().subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function slugify (text: string): string {
  return text.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}
