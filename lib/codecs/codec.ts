/**
 * The shape kafkajs expects behind `CompressionCodecs[type]()` (kafkajs/src/protocol/message/compression):
 * `compress` gets the Encoder holding the serialized records and `decompress` the compressed records of one
 * batch (message format v2) or the value of one wrapper message (v0/v1).
 */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}
