import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { DEFAULT_KAFKA_VERSION, kafkaJars, type KafkaCluster } from '../../lib/testing'
import { javaCommand } from '../../lib/testing/jars'

const run = promisify(execFile)

export interface ConsoleRecord {
  timestamp: number
  key: string
  /** "name:value" pairs as the console consumer prints them, or [] for NO_HEADERS. */
  headers: string[]
  value: string
}

/** The first `count` messages of `topic`, read by the Java client's console consumer (kafka-tools of the test broker's version). */
export async function readWithJavaConsole(cluster: KafkaCluster, topic: string, count: number): Promise<ConsoleRecord[]> {
  const libs = await kafkaJars(DEFAULT_KAFKA_VERSION)
  const { stdout } = await run(
    javaCommand(),
    [
      '-cp', `${libs}/*`,
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      '--bootstrap-server', cluster.brokers.join(','),
      '--topic', topic,
      '--from-beginning',
      '--max-messages', String(count),
      // Only an upper bound: --max-messages ends it as soon as every record is in. A JVM starting and joining a group
      // on a loaded 2-core machine took more than 30 s to see its first record (three runs read nothing).
      '--timeout-ms', '90000',
      '--property', 'print.timestamp=true',
      '--property', 'print.key=true',
      '--property', 'print.headers=true',
      '--property', 'print.value=true',
      '--property', 'key.separator=\t',
      '--property', 'headers.separator=,',
      '--property', 'headers.key.separator=:',
    ],
    { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, KAFKA_LOG4J_OPTS: '' } },
  )
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('CreateTime:'))
    .map((line) => {
      const [time, headers, key, value] = line.split('\t')
      return {
        timestamp: Number(time!.slice('CreateTime:'.length)),
        headers: headers === 'NO_HEADERS' ? [] : headers!.split(','),
        key: key!,
        value: value!,
      }
    })
}
