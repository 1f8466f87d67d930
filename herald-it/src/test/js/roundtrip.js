// Produces keyed messages with kafkajs, then reads them back through a consumer group, printing one JSON line of
// results for KafkajsTest to check. Usage: node roundtrip.js BROKER TOPIC COUNT
const { Kafka, logLevel } = require('kafkajs');

const [broker, topic, countText] = process.argv.slice(2);
const count = parseInt(countText, 10);
const kafka = new Kafka({ clientId: 'herald-it', brokers: [broker], logLevel: logLevel.ERROR });

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();

  const producer = kafka.producer();
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: `key-${i % 10}`, value: `value-${i}`, headers: { n: `${i}` } });
  }
  await producer.send({ topic, messages });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = [];
  const done = new Promise((resolve) => {
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.push({ partition, key: message.key.toString(), value: message.value.toString(), n: message.headers.n.toString() });
        if (seen.length >= count) resolve();
      },
    });
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${count} messages arrived`)), 60000);
  });
  // The pending timer would keep node alive for its full minute after success: clear it.
  await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
  await consumer.disconnect();
  console.log(JSON.stringify({ consumed: seen.length, messages: seen }));
}

main().catch((e) => {
  console.error(`kafkajs failed: ${e.message}`);
  process.exit(1);
});
