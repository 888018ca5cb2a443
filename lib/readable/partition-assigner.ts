/**
 * kafkajs has no group-less consumer: a partition reader joins a group of its own (a random id, never committed)
 * and this assigner gives its only member exactly the one partition it reads, instead of every partition of the
 * topic. Its position is set with `seek` after each join, so the throwaway group's (absent) offsets never matter.
 */
import { AssignerProtocol, type PartitionAssigner } from '../kafka/kafkajs'

export function singlePartitionAssigner(topic: string, partition: number): PartitionAssigner {
  return () => ({
    name: 'KafkaPipeSinglePartition',
    version: 1,
    async assign({ members }) {
      return members.map(({ memberId }, index) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          // A second member can only be a misuse of the random group id; it gets nothing rather than a duplicate.
          assignment: index === 0 ? { [topic]: [partition] } : {},
          userData: Buffer.alloc(0),
        }),
      }))
    },
    protocol({ topics }) {
      return {
        name: 'KafkaPipeSinglePartition',
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
      }
    },
  })
}
