/**
 * Kafka's variable-length integers, the protobuf encoding: 7 bits per byte, least significant group first, the
 * high bit set on every byte but the last. Record format v2 uses the signed "zigzag" form for every length and
 * delta inside a record (varint for 32-bit values, varlong for the timestamp delta); flexible request versions
 * (KIP-482) use the unsigned form for compact lengths and tagged fields.
 *
 * Writers take the buffer and an offset and return the offset after what they wrote, so that an encoder keeps
 * its position in a local variable. Readers advance a {@link ReadPosition} for the same reason: no object per
 * value read. A reader throws a RangeError when the bytes run out or a value is too long; the record decoder
 * turns that into a CorruptRecordError naming the batch.
 */

/** Where a reader is in its buffer; each read moves `offset` past the value it read. */
export interface ReadPosition {
  offset: number
}

/** Bytes taken by `n` (0 to 2^32-1) as an unsigned varint. */
export function sizeOfUnsignedVarint(n: number): number {
  const u = n >>> 0
  if (u < 0x80) return 1
  if (u < 0x4000) return 2
  if (u < 0x200000) return 3
  if (u < 0x10000000) return 4
  return 5
}

/** Writes `n` (0 to 2^32-1) as an unsigned varint at `offset`; returns the offset after it. */
export function writeUnsignedVarint(buf: Uint8Array, offset: number, n: number): number {
  let u = n >>> 0
  while (u > 0x7f) {
    buf[offset++] = (u & 0x7f) | 0x80
    u >>>= 7
  }
  buf[offset++] = u
  return offset
}

/**
 * Reads an unsigned varint of at most 5 bytes (what fits 32 bits). Like the Java client, a fifth byte's bits
 * above bit 31 are dropped rather than refused.
 */
export function readUnsignedVarint(buf: Uint8Array, at: ReadPosition): number {
  let offset = at.offset
  let result = 0
  for (let shift = 0; ; shift += 7) {
    if (offset >= buf.length) throw new RangeError(`varint at byte ${at.offset} runs past the end (${buf.length} bytes)`)
    if (shift > 28) throw new RangeError(`varint at byte ${at.offset} is longer than 5 bytes`)
    const byte = buf[offset++] as number
    result |= (byte & 0x7f) << shift
    if (byte < 0x80) break
  }
  at.offset = offset
  return result >>> 0
}

/** Maps a 32-bit signed integer to an unsigned one so that small magnitudes of either sign stay short. */
function zigzag32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0
}

/** Bytes taken by the 32-bit signed integer `n` as a zigzag varint. */
export function sizeOfVarint(n: number): number {
  return sizeOfUnsignedVarint(zigzag32(n))
}

/** Writes the 32-bit signed integer `n` as a zigzag varint at `offset`; returns the offset after it. */
export function writeVarint(buf: Uint8Array, offset: number, n: number): number {
  return writeUnsignedVarint(buf, offset, zigzag32(n))
}

/** Reads a zigzag varint (a 32-bit signed integer). */
export function readVarint(buf: Uint8Array, at: ReadPosition): number {
  const u = readUnsignedVarint(buf, at)
  return (u >>> 1) ^ -(u & 1)
}

/*
 * Varlongs without BigInt. The zigzag value of a 64-bit n is 2m + s, where s is 1 for negative n, 0 otherwise,
 * and m = n for n >= 0, -n - 1 for n < 0. For a safe integer n, m is exact in a double, but 2m + 1 may not be
 * (above 2^53), so we never form it: the first 7-bit group is (m mod 64) * 2 + s and the groups after it are
 * those of floor(m / 64), a number below 2^47 that divides exactly.
 */

/** Bytes taken by `n` (any safe integer) as a zigzag varlong. */
export function sizeOfVarlong(n: number): number {
  if ((n | 0) === n) return sizeOfVarint(n)
  let rest = Math.floor((n < 0 ? -n - 1 : n) / 64)
  let size = 2
  while (rest >= 0x80) {
    rest = Math.floor(rest / 0x80)
    size++
  }
  return size
}

/** Writes `n` (any safe integer) as a zigzag varlong at `offset`; returns the offset after it. */
export function writeVarlong(buf: Uint8Array, offset: number, n: number): number {
  if ((n | 0) === n) return writeVarint(buf, offset, n)
  // Outside the 32-bit range, m >= 2^31 - 1, so there is always a second group.
  const negative = n < 0
  const m = negative ? -n - 1 : n
  buf[offset++] = ((m % 64) * 2 + (negative ? 1 : 0)) | 0x80
  let rest = Math.floor(m / 64)
  while (rest >= 0x80) {
    buf[offset++] = (rest % 0x80) | 0x80
    rest = Math.floor(rest / 0x80)
  }
  buf[offset++] = rest
  return offset
}

/** Reads a zigzag varlong; throws a RangeError if its value is not a safe integer. */
export function readVarlong(buf: Uint8Array, at: ReadPosition): number {
  let offset = at.offset
  if (offset >= buf.length) throw new RangeError(`varlong at byte ${at.offset} runs past the end (${buf.length} bytes)`)
  const first = buf[offset++] as number
  const negative = (first & 1) === 1
  // m (see above) from its groups: the first byte holds its low 6 bits, each later byte 7 more.
  let m = (first & 0x7f) >>> 1
  let more = first >= 0x80
  for (let scale = 64; more; scale *= 0x80) {
    if (offset >= buf.length) throw new RangeError(`varlong at byte ${at.offset} runs past the end (${buf.length} bytes)`)
    if (offset - at.offset >= 10) throw new RangeError(`varlong at byte ${at.offset} is longer than 10 bytes`)
    const byte = buf[offset++] as number
    m += (byte & 0x7f) * scale
    more = byte >= 0x80
  }
  const n = negative ? -m - 1 : m
  if (!Number.isSafeInteger(n)) throw new RangeError(`varlong at byte ${at.offset} does not fit a safe integer`)
  at.offset = offset
  return n
}
