// The peer of `./jobway bench load`: the same open-loop workload on BullMQ, with Redis on loopback.
// Each job is added when it is due (start + i / rate), whatever earlier adds did; latency counts from the due
// time, as SubmitLoad counts it. A worker in this process runs each job (it returns its data, as Jobway's echo),
// and a QueueEvents listener notes each completion, as a browser's WebSocket notes Jobway's succeeded event.
// Usage: node bullmq-load.mjs REDIS_PORT RATE SECONDS CONCURRENCY  -> one JSON line of results on stdout
import { Queue, QueueEvents, Worker } from "bullmq";

const [port, rate, seconds, concurrency] = process.argv.slice(2).map(Number);
const connection = { host: "127.0.0.1", port };
const name = `bench-${process.pid}`;
const queue = new Queue(name, { connection });
const events = new QueueEvents(name, { connection });
await events.waitUntilReady();
const worker = new Worker(name, async (job) => job.data, { connection, concurrency });
await worker.waitUntilReady();

const dueAt = new Map();
const completedAt = new Map();
const queueWait = new Map();
worker.on("active", (job) => queueWait.set(job.id, Date.now() - job.timestamp)); // from its creation, as Jobway's
events.on("completed", ({ jobId }) => completedAt.set(jobId, Date.now()));

async function run(count, perSecond) {
  const start = performance.now();
  const startEpoch = Date.now();
  const adds = [];
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const dueEpoch = startEpoch + (due - start);
    adds.push(queue.add("echo", {}, { removeOnComplete: false }).then((job) => {
      latencies.push(performance.now() - due);
      dueAt.set(job.id, dueEpoch);
      return job.id;
    }));
  }
  const ids = await Promise.all(adds);
  return { ids, latencies, wallStart: startEpoch };
}

async function settle(ids, patienceMs) {
  const deadline = Date.now() + patienceMs;
  while (ids.some((id) => !completedAt.has(id)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

await settle((await run(100, 20)).ids, 30_000); // warm-up, not counted
const measured = await run(Math.round(rate * seconds), rate);
await settle(measured.ids, 120_000);
const done = measured.ids.filter((id) => completedAt.has(id));
const last = Math.max(...done.map((id) => completedAt.get(id)));
const cpu = process.cpuUsage();
console.log(JSON.stringify({
  accepted: measured.ids.length,
  succeeded: done.length,
  throughput: (done.length * 1000) / (last - measured.wallStart),
  submitMs: measured.latencies.map(Math.round),
  queueWaitMs: done.filter((id) => queueWait.has(id)).map((id) => queueWait.get(id)),
  endToEndMs: done.map((id) => completedAt.get(id) - dueAt.get(id)),
  nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
}));
await worker.close();
await events.close();
await queue.obliterate({ force: true });
await queue.close();
process.exit(0);
