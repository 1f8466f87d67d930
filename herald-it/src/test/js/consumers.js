// kafkajs producers and consumers as its users run them: gzip and uncompressed batches with headers, two consumers
// sharing a group through eachBatch, then pause/resume and seek on a single consumer. Asserts as it goes and prints
// one JSON line for KafkajsTest. Usage: node consumers.js BROKER PREFIX
const assert = require('assert/strict');
const { Kafka, logLevel, CompressionTypes } = require('kafkajs');

const [broker, prefix] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'herald-it-consumers', brokers: [broker], logLevel: logLevel.ERROR });
const topic = `${prefix}-events`;
const PARTITIONS = 4;
const PER_CODEC = 100;
const results = {};

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function produce() {
  const producer = kafka.producer();
  await producer.connect();
  const codecs = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP };
  for (const [name, compression] of Object.entries(codecs)) {
    const messages = [];
    for (let i = 0; i < PER_CODEC; i++) {
      messages.push({ key: `${name}-${i % 13}`, value: `${name}-${i}`, headers: { codec: name, n: `${i}`, empty: '' } });
    }
    const acks = await producer.send({ topic, compression, messages, acks: -1 });
    assert.ok(acks.every((a) => a.errorCode === 0));
  }
  // sendBatch: several topics' messages in one request, explicit partitions.
  await producer.sendBatch({
    topicMessages: [{ topic, messages: [{ partition: 3, key: 'batch', value: 'batch-0', headers: { codec: 'none', n: '0' } }] }],
  });
  await producer.disconnect();
  return 2 * PER_CODEC + 1;
}

async function twoConsumersShareAGroup(total) {
  const groupId = `${prefix}-shared`;
  const consumers = [kafka.consumer({ groupId }), kafka.consumer({ groupId })];
  const seen = new Map();
  const assigned = [new Set(), new Set()];
  let done;
  const allSeen = new Promise((resolve) => { done = resolve; });
  for (const [index, consumer] of consumers.entries()) {
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      assigned[index] = new Set(payload.memberAssignment[topic] || []);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch, heartbeat }) => {
        for (const message of batch.messages) {
          const value = message.value.toString();
          const fromBatch = value === 'batch-0';
          assert.equal(message.headers.codec.toString(), fromBatch ? 'none' : value.split('-')[0]);
          assert.equal(message.headers.empty?.toString(), fromBatch ? undefined : '');
          seen.set(value, (seen.get(value) || 0) + 1);
        }
        await heartbeat();
        if (seen.size >= total) done();
      },
    });
  }
  await withTimeout(allSeen, 60000, () => `${seen.size} of ${total} seen`);
  // Both members own partitions once the group settled (the second join triggers a rebalance).
  await withTimeout(new Promise((resolve) => {
    const settled = () => assigned[0].size > 0 && assigned[1].size > 0
      && assigned[0].size + assigned[1].size === PARTITIONS;
    const check = () => (settled() ? resolve() : setTimeout(check, 50));
    check();
  }), 30000, () => `assignments ${[...assigned[0]]} / ${[...assigned[1]]}`);
  assert.deepEqual([...assigned[0], ...assigned[1]].sort(), [0, 1, 2, 3]);
  await Promise.all(consumers.map((c) => c.disconnect()));
  results.shared = seen.size;
  results.redelivered = [...seen.values()].filter((n) => n > 1).length;

  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = offsets[0].partitions.reduce((sum, p) => sum + Number(p.offset), 0);
  assert.equal(committed, total);
  await admin.disconnect();
}

async function pauseResumeAndSeek(total) {
  const consumer = kafka.consumer({ groupId: `${prefix}-seeker`, maxWaitTimeInMs: 200 });
  const values = [];
  let paused = false;
  let resumed = false;
  let seeked = false;
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (partition !== 0) return;
      values.push(Number(message.offset));
      if (values.length === 5 && !paused) {
        paused = true;
        consumer.pause([{ topic, partitions: [0] }]);
        assert.deepEqual(consumer.paused(), [{ topic, partitions: [0] }]);
        setTimeout(() => {
          resumed = true;
          consumer.resume([{ topic, partitions: [0] }]);
        }, 300);
        throw new Error('paused: redeliver this message after resume');
      }
      if (resumed && !seeked && values.length >= 10) {
        seeked = true;
        consumer.seek({ topic, partition: 0, offset: '1' });
        return;
      }
      if (seeked && Number(message.offset) === 1) finish();
    },
  });
  await withTimeout(finished, 30000, () => `offsets seen ${values}`);
  await consumer.disconnect();
  // Offsets 0-4, offset 4 again after the resume, on to the seek, then offset 1 again.
  assert.deepEqual(values.slice(0, 6), [0, 1, 2, 3, 4, 4]);
  assert.equal(values[values.length - 1], 1);
  results.seek = values.length;
  results.total = total;
}

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const total = await produce();
  await twoConsumersShareAGroup(total);
  await pauseResumeAndSeek(total);
  console.log(JSON.stringify({ consumers: 'ok', ...results }));
}

main().catch((e) => {
  console.error(`kafkajs consumers failed: ${e.stack || e.message}`);
  process.exit(1);
});
