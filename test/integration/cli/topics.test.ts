import { expect } from 'chai'
import { deleteTopics, uniqueName, withAdmin } from '../cluster'
import { ndjson, runCli, useBuiltCli } from './run-cli'

describe('kafka-pipe topics (the built binary, real broker)', function () {
  this.timeout(120_000)
  const { suite, brokers } = useBuiltCli()

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

  it('describe --group adds the group\'s committed offset and lag per partition, null where it committed nothing', async () => {
    const topic = await suite.topic({ partitions: 2 })
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ n: i }))
    expect((await runCli(['produce', '--topic', topic, '--balancer', 'round-robin', '--quiet'], { brokers: brokers(), input: lines.join('\n') })).code).to.equal(0)
    const groupId = uniqueName('cli-describe-group')
    await withAdmin(suite.cluster, (admin) => admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] }))

    const described = await runCli(['topics', 'describe', '--topic', topic, '--group', groupId], { brokers: brokers() })
    expect(described).to.include({ code: 0, stderr: '' })
    type Row = { partition: number; latest: number; group: string; committed: number | null; lag: number | null }
    const [p0, p1] = ndjson<Row>(described.stdout)
    expect(p0).to.include({ partition: 0, group: groupId, committed: 2, lag: p0!.latest - 2 })
    expect(p1).to.include({ partition: 1, group: groupId, committed: null, lag: null })
    expect(p0!.latest + p1!.latest).to.equal(10)

    const none = ndjson<Row>((await runCli(['topics', 'describe', '--topic', topic, '--group', 'never-committed'], { brokers: brokers() })).stdout)
    expect(none.map((r) => [r.committed, r.lag])).to.deep.equal([[null, null], [null, null]])
  })
})
