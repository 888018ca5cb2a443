import { spawn, type ChildProcess } from 'node:child_process'

/** The label every container of one cluster carries, with the cluster's id as its value. */
export const CLUSTER_LABEL = 'kafka-pipe.cluster'

/*
 * The container engine's counterpart of watchdog.ts, and what stands in for testcontainers' Ryuk (which would have
 * to be pulled): a detached Node process that outlives us. If this process dies without calling stop() (SIGKILL,
 * a crash, Ctrl-C), its end of the stdin pipe closes, and the watchdog removes the cluster's labelled containers
 * (with their volumes) and its network, through testcontainers' own Docker client. stop() says "done" first.
 */
const SCRIPT = `
const [testcontainers, label, cluster, network] = process.argv.slice(1)
let done = false
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => { if (chunk.includes('done')) done = true })
process.stdin.on('close', async () => {
  if (done) process.exit(0)
  try {
    const { getContainerRuntimeClient } = require(testcontainers)
    const docker = (await getContainerRuntimeClient()).container.dockerode
    const found = await docker.listContainers({ all: true, filters: { label: [label + '=' + cluster] } })
    await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {})))
    await docker.getNetwork(network).remove().catch(() => {})
  } finally {
    process.exit(0)
  }
})
`

export class ContainerWatchdog {
  readonly #child: ChildProcess

  /** `networkId`: the cluster's network, removed after its containers. */
  constructor(clusterId: string, networkId: string) {
    const testcontainers = require.resolve('testcontainers')
    this.#child = spawn(process.execPath, ['-e', SCRIPT, testcontainers, CLUSTER_LABEL, clusterId, networkId], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    })
    this.#child.unref()
    // Neither the watchdog nor our pipe to it may keep this process alive.
    ;(this.#child.stdin as unknown as { unref?: () => void }).unref?.()
  }

  /** Everything was removed by us: let the watchdog go without removing anything. */
  release(): void {
    this.#child.stdin?.end('done\n')
  }
}
