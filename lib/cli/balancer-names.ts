import { CRC32Balancer, Hash, LeastBytes, Murmur2Balancer, ReferenceHash, RoundRobin, type Balancer } from '../balancers'

/** `--balancer` names and the library's balancers they select. */
export const BALANCERS = {
  murmur2: () => new Murmur2Balancer(),
  crc32: () => new CRC32Balancer(),
  hash: () => new Hash(),
  'reference-hash': () => new ReferenceHash(),
  'least-bytes': () => new LeastBytes(),
  'round-robin': () => new RoundRobin(),
} as const satisfies Record<string, () => Balancer>

export type BalancerName = keyof typeof BALANCERS
export const BALANCER_NAMES = Object.keys(BALANCERS) as BalancerName[]
