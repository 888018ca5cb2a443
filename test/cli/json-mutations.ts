/**
 * Texts near valid JSON for agreement tests against JSON.parse: each is one of `documents` with one byte changed to
 * one of `alphabet`, dropped, or repeated, at a place and of a kind chosen by a seeded generator (the same every run).
 */
export function* mutations(documents: readonly string[], alphabet: string, count: number, seed: number): Generator<string> {
  const random = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n)
  for (let k = 0; k < count; k++) {
    const doc = documents[k % documents.length]!
    const at = random(doc.length)
    const kind = random(3)
    if (kind === 0) yield doc.slice(0, at) + alphabet[random(alphabet.length)] + doc.slice(at + 1)
    else if (kind === 1) yield doc.slice(0, at) + doc.slice(at + 1)
    else yield doc.slice(0, at) + doc[at] + doc.slice(at)
  }
}
