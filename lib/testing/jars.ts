import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { TestingError } from '../errors'

const run = promisify(execFile)

/** Logging binding the Kafka distribution ships with; the Maven artifacts leave slf4j without one. */
const LOG4J_VERSION = '2.24.3'
const COMPLETE_MARKER = '.complete'

export function defaultCacheDir(): string {
  return process.env.KAFKA_PIPE_CACHE ?? join(homedir(), '.cache', 'kafka-pipe')
}

/** The `java` to run: $JAVA_HOME/bin/java when set, else the one on PATH. */
export function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java'
}

/** Fails with what to install unless a Java 17 or newer runtime is there. */
export async function checkJava(): Promise<void> {
  let output: string
  try {
    const { stdout, stderr } = await run(javaCommand(), ['-version'])
    output = stderr + stdout
  } catch (err) {
    throw new TestingError(
      `kafka-pipe/testing needs Java 17 or newer to run the Kafka broker, and "${javaCommand()}" could not be run; ` +
        'install a JDK (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME',
      err,
    )
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output)
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : NaN
  if (!(major >= 17)) {
    throw new TestingError(
      `kafka-pipe/testing needs Java 17 or newer to run Kafka 4, found: ${output.split('\n')[0]}; ` +
        'install a newer JDK or point JAVA_HOME at one',
    )
  }
}

function pom(version: string): string {
  const dependency = (group: string, artifact: string, v: string) =>
    `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${v}</version></dependency>`
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kafka-pipe.testing</groupId><artifactId>kafka-broker</artifactId><version>${version}</version>
  <dependencies>
    ${dependency('org.apache.kafka', 'kafka_2.13', version)}
    ${dependency('org.apache.kafka', 'kafka-tools', version)}
    ${dependency('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION)}
    ${dependency('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`
}

/**
 * Returns the folder holding the broker's jars (and the Java console tools), fetching them from Maven Central
 * with Maven the first time. Afterwards the cache is used as it is, without Maven or a network.
 */
export async function kafkaJars(version: string, cacheDir = defaultCacheDir()): Promise<string> {
  const home = join(cacheDir, `kafka_2.13-${version}`)
  const libs = join(home, 'libs')
  if (existsSync(join(libs, COMPLETE_MARKER))) return libs

  await mkdir(home, { recursive: true })
  // Each process fetches into its own folder and renames it into place, so parallel runs never see half a set.
  const staging = join(home, `libs.${process.pid}.${Date.now()}`)
  const pomFile = join(home, `pom.${process.pid}.xml`)
  await writeFile(pomFile, pom(version))
  try {
    await run(
      'mvn',
      ['-B', '-q', '-Dstyle.color=never', '-f', pomFile, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`],
      { maxBuffer: 64 * 1024 * 1024 },
    )
  } catch (err) {
    await rm(staging, { recursive: true, force: true })
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string }
    if (e.code === 'ENOENT') {
      throw new TestingError(
        'kafka-pipe/testing fetches the Kafka broker from Maven Central with Maven, and "mvn" is not on PATH; ' +
          'install Maven (Debian: apt-get install maven), or set KAFKA_BROKERS to use a running cluster',
        err,
      )
    }
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n')
    throw new TestingError(
      `could not fetch org.apache.kafka:kafka_2.13:${version} and its dependencies with Maven ` +
        `(is the version right, and Maven Central reachable?):\n${output}`,
      err,
    )
  } finally {
    await rm(pomFile, { force: true })
  }
  await writeFile(join(staging, COMPLETE_MARKER), `${new Date().toISOString()}\n`)
  try {
    await rename(staging, libs)
  } catch (err) {
    // Another process finished first: its set is as good as ours.
    await rm(staging, { recursive: true, force: true })
    if (!existsSync(join(libs, COMPLETE_MARKER))) throw new TestingError(`could not move the Kafka jars into ${libs}`, err)
  }
  return libs
}
