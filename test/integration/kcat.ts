import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { KafkaCluster } from '../../lib/testing'

const run = promisify(execFile)

export interface KcatRecord {
  partition: number
  offset: number
  key: string
  value: string
}

/** Every message of `topic`, read by kcat (librdkafka) from the beginning to the current end. */
export async function readWithKcat(cluster: KafkaCluster, topic: string): Promise<KcatRecord[]> {
  const { stdout } = await run(
    'kcat',
    ['-b', cluster.brokers.join(','), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p\\t%o\\t%k\\t%s\\n'],
    { maxBuffer: 512 * 1024 * 1024 },
  )
  if (stdout === '') return []
  return stdout
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      const [partition, offset, key, value] = line.split('\t')
      return { partition: Number(partition), offset: Number(offset), key: key!, value: value! }
    })
}

/** Produces `lines` ("key\tvalue") to one partition of `topic` with kcat, compressed with `codec`. */
export async function produceWithKcat(cluster: KafkaCluster, topic: string, lines: string[], codec: string): Promise<void> {
  const child = run('kcat', ['-b', cluster.brokers.join(','), '-P', '-t', topic, '-p', '0', '-K', '\t', '-z', codec, '-X', 'linger.ms=50'])
  child.child.stdin!.end(lines.join('\n') + '\n')
  await child
}
