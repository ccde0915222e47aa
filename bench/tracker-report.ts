// Renders the state tracker's benchmark (bench/tracker.ts) as a section of docs/benchmarks.md.
import { Tally, TrackerRun, trackerBenchmark } from './tracker';
import { COUNTED_STAGES, EVENT_CLASSES, EventClass, STAGES_PER_ROUND, Variant } from './tracker-workload';
import { REQUEST_PRICES } from '../devkit/prices';

/** The doc's "State tracker" section, from the figures of one run. */
export function renderTracker({ rounds, rates, counted, fn }: TrackerRun): string {
  const ratio = rates.tracker / rates.naive;
  const kinds = ['GetItem', 'UpdateItem', 'TransactWriteItems', 'PutItem'];
  const seen = new Set(EVENT_CLASSES.flatMap(c => Object.keys(counted.tallies[c].tracker.kinds).concat(Object.keys(counted.tallies[c].naive.kinds))));
  const columns = [...kinds.filter(k => seen.has(k)), ...[...seen].filter(k => !kinds.includes(k))];
  const per = (t: Tally, n: number) => (t.events ? n / t.events : 0).toFixed(2);
  const rows = EVENT_CLASSES.map(c => {
    const { tracker, naive } = counted.tallies[c];
    return `| ${c} | ${tracker.events} | ${columns.map(k => per(tracker, tracker.kinds[k] ?? 0)).join(' | ')} | ${per(tracker, tracker.units.read)} | `
      + `${per(tracker, tracker.units.write)} | ${per(naive, naive.units.write)} |`;
  });
  const sum = (variant: Variant, key: 'read' | 'write') => EVENT_CLASSES.reduce((n, c) => n + counted.tallies[c][variant].units[key], 0) / counted.events;
  const failed = EVENT_CLASSES.reduce((n, c) => n + counted.tallies[c].tracker.failedConditions, 0);
  const cheap = (['duplicate', 'stale'] as EventClass[]).every(c => {
    const t = counted.tallies[c].tracker;
    return t.events > 0 && Object.keys(t.kinds).every(k => k === 'GetItem') && t.kinds.GetItem === t.events && t.units.write === 0;
  });
  const sizeRows = Object.entries(counted.sizes).sort().map(([type, s]) => `| ${type} | ${s.length} | ${Math.round(s.reduce((a, b) => a + b, 0) / s.length)} | ${Math.max(...s)} |`);

  // Cost of a million events, per delivery: SQS (EventBridge's SendMessage per event; the event source
  // mapping's ReceiveMessage and DeleteMessageBatch per batch), Lambda (a request per batch; duration per
  // invocation rounded up to 1 ms), DynamoDB on-demand units at this run's mix of events.
  const p = REQUEST_PRICES;
  const msPerEvent = 1000 / rates.tracker;
  const gbSecond = p.lambdaGbSecond[fn.architecture];
  const million = 1_000_000;
  const costRows = [1, fn.batchSize].map(batch => {
    const invocations = million / batch;
    const sqs = (million + 2 * invocations) / million * p.sqsRequestMillion;
    const requests = invocations / million * p.lambdaRequestMillion;
    const duration = invocations * Math.ceil(batch * msPerEvent) / 1000 * (fn.memoryMb / 1024) * gbSecond;
    const dynamodb = sum('tracker', 'read') * p.dynamodbReadRequestUnitMillion + sum('tracker', 'write') * p.dynamodbWriteRequestUnitMillion;
    const total = sqs + requests + duration + dynamodb;
    return `| ${batch} | $${sqs.toFixed(2)} | $${requests.toFixed(2)} | $${duration.toFixed(2)} | $${dynamodb.toFixed(2)} | $${total.toFixed(2)} |`;
  });
  const classRows = EVENT_CLASSES.map(c => {
    const t = rates.byClass[c];
    const rate = (ms: number) => (ms > 0 ? t.events / (ms / 1000) : 0);
    return `| ${c} | ${t.events} | ${rate(t.tracker).toFixed(0)} | ${rate(t.naive).toFixed(0)} | ${t.naive > 0 ? (t.naive / t.tracker).toFixed(2) : '-'} |`;
  });
  const latencyText = Object.entries(counted.latency).sort().map(([k, v]) => `${k} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)}`).join(', ');
  const requestsPerEvent = EVENT_CLASSES.reduce((n, c) => n + Object.values(counted.tallies[c].tracker.kinds).reduce((a, b) => a + b, 0), 0)
    / counted.events;
  const naiveDynamodb = sum('naive', 'write') * p.dynamodbWriteRequestUnitMillion;

  return `## State tracker

The bundled handler file (\`assets/tracker-handler/index.js\`, as Lambda loads it) against one moto DynamoDB
server (devkit/moto.ts), one SQS record per invocation, compared in the same run with a naive handler
(bench/tracker-workload.ts) that parses the same events and writes each one with an unconditional \`PutItem\`:
fast, cheap and wrong (a late or repeated event overwrites newer state, and nothing counts publishers).
Events: per stage, four participants publish, record, unpublish and half of them publish again, and a
composition starts and ends with a destination; delivered mostly in order, one event in ten twice and one
in ten held back, some behind newer events of their item (bench/tracker-workload.ts).

### Throughput

${rounds} rounds of ${rates.events} events over ${STAGES_PER_ROUND} fresh stages each (after one unrecorded warm-up round),
the two handlers alternating which goes first; medians of the rounds.

| handler | events/s | ms per event |
|---|---|---|
| tracker (bundled) | ${rates.tracker.toFixed(0)} | ${msPerEvent.toFixed(2)} |
| naive (unconditional PutItem) | ${rates.naive.toFixed(0)} | ${(1000 / rates.naive).toFixed(2)} |

By event class, all rounds together (the class decides the requests, see below):

| event class | events | tracker events/s | naive events/s | ratio |
|---|---|---|---|---|
${classRows.join('\n')}

Mean time moto took per request kind in the counting pass below (ms, measured at the proxy, one table of
${COUNTED_STAGES} stages; moto copies the table for every transaction):
${latencyText}.

- Ratio tracker / naive: ${ratio.toFixed(2)}; target at least 0.5 with one-at-a-time delivery: ${ratio >= 0.5 ? 'met' : 'NOT met'}.
- Requests per event at this mix: tracker ${requestsPerEvent.toFixed(2)}, naive 1.00. Were every request equally fast (what a
  network round trip to DynamoDB comes closer to than moto), the ratio would be ${(1 / requestsPerEvent).toFixed(2)}.
- Where the time goes: the per-kind times above, and ${(100 * counted.tallies['count change'].tracker.events / counted.events).toFixed(0)}% of the counted events
  change a count (a read and a transaction each); duplicates and stale events cost one read each.

### DynamoDB requests and request units per event

${counted.events} events over ${COUNTED_STAGES} stages, each classified by the state model before delivery, counted at the HTTP level
(a proxy reading \`X-Amz-Target\`). Request units are computed from the sizes of the items as read back from
moto before and after each event, by DynamoDB's rules: an item's size is its attribute names and values
(CapacityUnitCalculations.html); a strongly consistent read is 1 read unit per 4 KB, a write 1 write unit per
1 KB of the larger of the item before and after, a transactional write twice that, per item
(read-write-operations.html, transaction-apis.html); a write whose condition fails still costs its units;
a write that puts a participant into the reconciler's sparse index, takes it out or changes what the index
projects costs a write unit more (GSI.html).

| event class | events | ${columns.join(' | ')} | read units | write units | naive write units |
|---|---|${columns.map(() => '---|').join('')}---|---|---|
${rows.join('\n')}

- A stale or duplicate event costs one strongly consistent read and no write: ${cheap ? 'met' : 'NOT met'}
  (test/tracker/request-cost.test.ts asserts it too).
- Conditions that failed in this run: ${failed} (one-at-a-time delivery leaves no concurrent writer; under
  concurrency a failed condition costs its write units and the handler retries with a new read).
- Mean per event at this mix: ${sum('tracker', 'read').toFixed(2)} read and ${sum('tracker', 'write').toFixed(2)} write units
  (naive: ${sum('naive', 'write').toFixed(2)} write units).

Item sizes the run wrote (bytes, as DynamoDB counts them for capacity):

| item | items | mean | largest |
|---|---|---|---|
${sizeRows.join('\n')}

### Cost of one million events

us-east-1 list prices written down on ${p.date} (devkit/prices.ts, with the pricing page of each): SQS standard
$${p.sqsRequestMillion.toFixed(2)} per million requests; Lambda $${p.lambdaRequestMillion.toFixed(2)} per million requests and
$${gbSecond} per GB-second (${fn.architecture}); DynamoDB on-demand $${p.dynamodbWriteRequestUnitMillion} per million write and
$${p.dynamodbReadRequestUnitMillion} per million read request units. The function as the construct synthesizes it:
${fn.memoryMb} MB, ${fn.architecture}, event source mapping batch size ${fn.batchSize}.

| records per invocation | SQS | Lambda requests | Lambda duration | DynamoDB | total |
|---|---|---|---|---|---|
${costRows.join('\n')}

- SQS: EventBridge's \`SendMessage\` per event, and per batch one \`ReceiveMessage\` and one \`DeleteMessageBatch\`
  by the event source mapping; its empty long polls while the queue is idle are a monthly cost, not a per-event one.
- Lambda duration is this run's ${msPerEvent.toFixed(2)} ms per event on this machine against a local server, only a proxy:
  moto's transactions are slower than DynamoDB's, while in Lambda every request is a network round trip of a few
  milliseconds; the real figure may be lower or higher. Duration is a small share of the total either way.
- DynamoDB at this run's mix of event classes; the naive handler would pay $${naiveDynamodb.toFixed(2)}. A million duplicate or
  stale events cost $${(p.dynamodbReadRequestUnitMillion).toFixed(3)} in DynamoDB (one read unit each).
- Not included: free tiers, EventBridge (events from AWS services to the default bus are free), the
  stage activity path (DynamoDB Streams and EventBridge Pipes, only on count transitions), logs and storage.
`;
}

if (require.main === module) {
  trackerBenchmark(Number(process.env.BENCH_RUNS ?? 11)).then(run => console.log(renderTracker(run))).catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
}
