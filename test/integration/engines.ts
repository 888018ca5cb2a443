/*
 * The engines the engine-independent integration tests run on: KAFKA_PIPE_TEST_ENGINES (space- or comma-separated,
 * default "jvm"), so that `npm test` needs no Docker and `npm run test:container` runs the same tests in containers.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { DEFAULT_KAFKA_VERSION, kafkaJars, type KafkaEngine, type StartKafkaOptions } from '../../lib/testing'
import { KAFKA_ENGINES } from '../../lib/testing/options'

const run = promisify(execFile)

export function testEngines(): KafkaEngine[] {
  const names = (process.env.KAFKA_PIPE_TEST_ENGINES ?? 'jvm').split(/[\s,]+/).filter((n) => n.length > 0)
  for (const name of names) {
    if (!KAFKA_ENGINES.includes(name as KafkaEngine)) {
      throw new Error(`KAFKA_PIPE_TEST_ENGINES names "${name}"; engines are ${KAFKA_ENGINES.join(', ')}`)
    }
  }
  return names as KafkaEngine[]
}

/** Declares the tests `body` declares once per engine of {@link testEngines}. */
export function forEachEngine(body: (engine: KafkaEngine) => void): void {
  for (const engine of testEngines()) body(engine)
}

let image: Promise<string> | undefined

/**
 * The image the container engine's tests run: KAFKA_PIPE_IMAGE, else the local one test/fixtures/kafka-image/build.sh
 * builds (once; it is cached by tag) from the jars the jvm engine fetches.
 */
export function testImage(): Promise<string> {
  image ??= (async () => {
    const named = process.env.KAFKA_PIPE_IMAGE?.trim()
    if (named) return named
    await kafkaJars(DEFAULT_KAFKA_VERSION)
    const script = join(__dirname, '..', 'fixtures', 'kafka-image', 'build.sh')
    const { stdout } = await run('bash', [script, DEFAULT_KAFKA_VERSION], { maxBuffer: 16 * 1024 * 1024 })
    return stdout.trim().split('\n').pop()!
  })()
  return image
}

/** The startKafka() options that select `engine` (with the test image for the container engine). */
export async function engineOptions(engine: KafkaEngine): Promise<StartKafkaOptions> {
  return engine === 'container' ? { engine, image: await testImage() } : { engine }
}
