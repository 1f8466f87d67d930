// kafkajs's admin client as its users drive it: topics with configs, partitions, metadata, offsets (latest, by
// timestamp, committed; set and reset), groups (describe, list, delete), records deletion, configs and the cluster.
// Every step asserts what Apache Kafka answers; the last line is one JSON object for KafkajsTest.
// Usage: node admin.js BROKER PREFIX
const assert = require('assert/strict');
const { Kafka, logLevel, ConfigResourceTypes } = require('kafkajs');

const [broker, prefix] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'herald-it-admin', brokers: [broker], logLevel: logLevel.ERROR });
const topic = `${prefix}-topic`;
const groupId = `${prefix}-group`;
const results = {};

async function createTopicsWithConfigs(admin) {
  const created = await admin.createTopics({
    topics: [{
      topic,
      numPartitions: 2,
      replicationFactor: 1,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'retention.ms', value: '-1' },
        { name: 'message.timestamp.type', value: 'CreateTime' },
      ],
    }],
    waitForLeaders: true,
  });
  assert.equal(created, true);
  // A second create of the same topic is not an error in kafkajs: it answers false.
  assert.equal(await admin.createTopics({ topics: [{ topic }], waitForLeaders: true }), false);
  await assert.rejects(
    admin.createTopics({ topics: [{ topic: `${prefix}-bad`, configEntries: [{ name: 'cleanup.policy', value: 'nope' }] }] }),
    (e) => e.type === 'INVALID_CONFIG' || /INVALID_CONFIG/.test(JSON.stringify(e.errors || e.message)),
  );
  assert.ok((await admin.listTopics()).includes(topic));
}

async function partitionsAndMetadata(admin) {
  await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  assert.equal(topics.length, 1);
  assert.equal(topics[0].name, topic);
  const partitions = topics[0].partitions.map((p) => p.partitionId).sort();
  assert.deepEqual(partitions, [0, 1, 2]);
  for (const p of topics[0].partitions) {
    assert.equal(p.partitionErrorCode, 0);
    assert.deepEqual(p.replicas, [p.leader]);
    assert.deepEqual(p.isr, [p.leader]);
  }
  await assert.rejects(admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] }),
    (e) => /INVALID_PARTITIONS|partition/i.test(`${e.type} ${e.message}`));
  results.partitions = partitions.length;
}

async function produce(partition, count, timestamp) {
  const producer = kafka.producer();
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: `k${i}`, value: `p${partition}-${i}`, partition, timestamp: `${timestamp + i}` });
  }
  await producer.send({ topic, messages });
  await producer.disconnect();
}

async function offsetsByTimeAndLatest(admin) {
  const base = Date.now() - 100000;
  await produce(0, 10, base);
  await produce(1, 5, base + 1000);
  const latest = await admin.fetchTopicOffsets(topic);
  const byPartition = Object.fromEntries(latest.map((o) => [o.partition, o]));
  assert.equal(byPartition[0].offset, '10');
  assert.equal(byPartition[0].high, '10');
  assert.equal(byPartition[0].low, '0');
  assert.equal(byPartition[1].offset, '5');
  assert.equal(byPartition[2].offset, '0');
  // The first offset whose timestamp is at or after the one asked for; past the end, the end offset (kafkajs maps -1).
  const at = await admin.fetchTopicOffsetsByTimestamp(topic, base + 4);
  const atByPartition = Object.fromEntries(at.map((o) => [o.partition, o.offset]));
  assert.deepEqual(atByPartition, { 0: '4', 1: '0', 2: '0' });
  const after = await admin.fetchTopicOffsetsByTimestamp(topic, base + 1003);
  assert.deepEqual(Object.fromEntries(after.map((o) => [o.partition, o.offset])), { 0: '10', 1: '3', 2: '0' });
  results.latest = latest.length;
}

async function committedOffsets(admin) {
  await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '7' }, { partition: 1, offset: '2' }] });
  let fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
  assert.equal(fetched.length, 1);
  let offsets = Object.fromEntries(fetched[0].partitions.map((p) => [p.partition, p.offset]));
  assert.deepEqual(offsets, { 0: '7', 1: '2', 2: '-1' });
  // kafkajs commits the sentinels -2 (earliest) and -1 (latest) as they are; resolveOffsets turns them into offsets.
  await admin.resetOffsets({ groupId, topic, earliest: true });
  fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
  offsets = Object.fromEntries(fetched[0].partitions.map((p) => [p.partition, p.offset]));
  assert.deepEqual(offsets, { 0: '-2', 1: '-2', 2: '-2' });
  fetched = await admin.fetchOffsets({ groupId, topics: [topic], resolveOffsets: true });
  offsets = Object.fromEntries(fetched[0].partitions.map((p) => [p.partition, p.offset]));
  assert.deepEqual(offsets, { 0: '0', 1: '0', 2: '0' });
  const described = await admin.describeGroups([groupId]);
  assert.equal(described.groups[0].groupId, groupId);
  assert.equal(described.groups[0].state, 'Empty');
  assert.equal(described.groups[0].errorCode, 0);
  const listed = await admin.listGroups();
  assert.ok(listed.groups.some((g) => g.groupId === groupId));
  const deleted = await admin.deleteGroups([groupId]);
  assert.equal(deleted[0].groupId, groupId);
  assert.equal(deleted[0].errorCode, 0);
  assert.ok(!(await admin.listGroups()).groups.some((g) => g.groupId === groupId));
  await assert.rejects(admin.deleteGroups([groupId]), (e) => /GROUP_ID_NOT_FOUND|does not exist/i.test(`${e.message} ${JSON.stringify(e.groups || [])}`));
  results.groups = 'ok';
}

async function deleteRecordsRefusedWhileCompacted(admin) {
  // Kafka deletes records only where cleanup.policy includes delete.
  await assert.rejects(admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] }),
    (e) => e.cause.partitions[0].error.type === 'POLICY_VIOLATION');
}

/** Runs after configs(), which leaves the topic with the default cleanup.policy (delete). */
async function deleteRecords(admin) {
  await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] });
  const offsets = await admin.fetchTopicOffsets(topic);
  const p0 = offsets.find((o) => o.partition === 0);
  assert.equal(p0.low, '4');
  assert.equal(p0.high, '10');
  // -1 deletes up to the high watermark.
  await admin.deleteTopicRecords({ topic, partitions: [{ partition: 1, offset: '-1' }] });
  const p1 = (await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 1);
  assert.equal(p1.low, '5');
  await assert.rejects(admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '99' }] }),
    (e) => e.cause.partitions[0].error.type === 'OFFSET_OUT_OF_RANGE');
  results.deleteRecords = 'ok';
}

async function configs(admin) {
  const described = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy', 'retention.ms', 'min.compaction.lag.ms'] }],
    includeSynonyms: false,
  });
  const entries = Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e]));
  assert.equal(described.resources[0].errorCode, 0);
  assert.equal(entries['cleanup.policy'].configValue, 'compact');
  assert.equal(entries['cleanup.policy'].isDefault, false);
  assert.equal(entries['retention.ms'].configValue, '-1');
  assert.equal(entries['min.compaction.lag.ms'].isDefault, true);
  assert.equal(entries['min.compaction.lag.ms'].configValue, '0');
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
  });
  const after = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] }],
    includeSynonyms: false,
  });
  const afterEntries = Object.fromEntries(after.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
  assert.equal(afterEntries['retention.ms'], '3600000');
  // AlterConfigs replaces the whole set: cleanup.policy falls back to its default.
  assert.equal(afterEntries['cleanup.policy'], 'delete');
  const brokerConfigs = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configNames: ['num.partitions'] }],
    includeSynonyms: false,
  });
  assert.equal(brokerConfigs.resources[0].errorCode, 0);
  assert.equal(brokerConfigs.resources[0].configEntries.length, 1);
  // Dynamic broker configs: a good value is taken (no error message at all); a bad value, or a key Kafka does not
  // update dynamically (log.retention.hours: only log.retention.ms is), is INVALID_REQUEST.
  const alterBroker = (name, value) => admin.alterConfigs({
    validateOnly: true,
    resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configEntries: [{ name, value }] }],
  });
  const taken = await alterBroker('log.cleaner.threads', '2');
  assert.deepEqual(taken.resources[0], { errorCode: 0, errorMessage: null, resourceType: 4, resourceName: '1' });
  for (const [name, value] of [['log.cleaner.threads', 'abc'], ['log.retention.ms', 'soon'], ['log.retention.hours', '5']]) {
    await assert.rejects(alterBroker(name, value), (e) => e.type === 'INVALID_REQUEST', `${name}=${value}`);
  }
  results.configs = 'ok';
}

async function cluster(admin) {
  const described = await admin.describeCluster();
  assert.equal(described.brokers.length, 1);
  assert.equal(`${described.brokers[0].host}:${described.brokers[0].port}`, broker);
  assert.equal(described.controller, described.brokers[0].nodeId);
  assert.ok(described.clusterId.length > 0);
  results.cluster = described.brokers.length;
}

async function step(name, fn, admin) {
  const started = Date.now();
  await fn(admin);
  results[`${name}Ms`] = Date.now() - started;
}

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await step('createTopicsWithConfigs', createTopicsWithConfigs, admin);
    await step('partitionsAndMetadata', partitionsAndMetadata, admin);
    await step('offsetsByTimeAndLatest', offsetsByTimeAndLatest, admin);
    await step('committedOffsets', committedOffsets, admin);
    await step('deleteRecordsRefusedWhileCompacted', deleteRecordsRefusedWhileCompacted, admin);
    await step('configs', configs, admin);
    await step('deleteRecords', deleteRecords, admin);
    await step('cluster', cluster, admin);
    await admin.deleteTopics({ topics: [topic] });
    assert.ok(!(await admin.listTopics()).includes(topic));
  } finally {
    await admin.disconnect();
  }
  console.log(JSON.stringify({ admin: 'ok', ...results }));
}

main().catch((e) => {
  console.error(`kafkajs admin failed: ${e.stack || e.message} ${JSON.stringify(e)}`);
  process.exit(1);
});
