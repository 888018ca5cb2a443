import { expect } from 'chai'
import { deleteTopics, uniqueName, useSharedCluster, withAdmin } from '../cluster'
import { buildCli, ndjson, runCli } from './run-cli'

describe('kafka-pipe topics (the built binary, real broker)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  const brokers = () => suite.cluster.brokers
  before(async function () {
    this.timeout(180_000)
    await buildCli()
  })

  it('creates a topic with partitions and configs, lists it, describes its partitions, and refuses to create it twice', async () => {
    const topic = uniqueName('cli-topics')
    const create = ['topics', 'create', '--topic', topic, '--partitions', '3', '--config', 'retention.ms=3600000']
    expect(await runCli(create, { brokers: brokers() })).to.include({ code: 0, stderr: '' })
    suite.defer(() => deleteTopics(suite.cluster, [topic]))

    const configs = await withAdmin(suite.cluster, (admin) =>
      admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }], includeSynonyms: false }),
    )
    expect(configs.resources[0]!.configEntries[0]).to.include({ configName: 'retention.ms', configValue: '3600000' })

    const list = await runCli(['topics', 'list'], { brokers: brokers() })
    expect(list.code).to.equal(0)
    expect(list.stdout.split('\n')).to.include(topic)

    await runCli(['produce', '--topic', topic, '--key', 'k', '--quiet'], { brokers: brokers(), input: '{"k":"a"}\n{"k":"a"}\n' })
    const described = await runCli(['topics', 'describe', '--topic', topic], { brokers: brokers() })
    expect(described.code).to.equal(0)
    const partitions = ndjson<{ topic: string; partition: number; leader: number; earliest: number; latest: number }>(described.stdout)
    expect(partitions.map((p) => p.partition)).to.deep.equal([0, 1, 2])
    expect(partitions.reduce((sum, p) => sum + p.latest - p.earliest, 0)).to.equal(2)

    const again = await runCli(create, { brokers: brokers() })
    expect(again).to.include({ code: 1, stderr: `kafka-pipe: topics create: topic "${topic}" already exists\n` })
  })

  it('fails describing a topic that does not exist, exit 1', async () => {
    const result = await runCli(['topics', 'describe', '--topic', 'no-such-topic-cli'], { brokers: brokers() })
    expect(result).to.include({ code: 1, stderr: 'kafka-pipe: topics describe: no topic "no-such-topic-cli" on the cluster\n' })
  })
})
