// The bundled handler file itself, as Lambda would load it, against moto's DynamoDB server.
import * as fs from 'fs';
import * as path from 'path';
import { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { MotoServer } from '../../devkit/moto';
import { STAGE_SK } from '../../runtime/tracker/apply-change';
import { IvsEventEnvelope, ModelItem, TrackedChange, applyToModel, changeOf, publishersOf } from '../../runtime/tracker/state-model';
import { IvsStageStateTracker } from '../../src';
import { FaultProxy } from '../util/fault-proxy';
import { testStack } from '../util/stack';
import { TRACKER_BUNDLE, TrackerBundle, loadTrackerBundle } from '../util/tracker-bundle';

const STAGES = Array.from({ length: 20 }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Bundle${String(i).padStart(6, '0')}`);

let moto: MotoServer;
let handler: TrackerBundle['handler'];
const saved = { ...process.env };

beforeAll(async () => {
  moto = await MotoServer.start();
  await moto.createTable('bundled');
  handler = loadTrackerBundle('bundled', moto.endpoint).handler;
}, 60_000);

afterAll(() => {
  moto?.stop();
  process.env = saved;
});

function events(count: number, seed: number): IvsEventEnvelope[] {
  const [picks] = fc.sample(fc.array(fc.record({
    stage: fc.constantFrom(...STAGES),
    participant: fc.constantFrom('p1', 'p2', 'p3'),
    second: fc.integer({ min: 0, max: 20 }),
    name: fc.constantFrom('Participant Published', 'Participant Unpublished', 'Recording Start', 'Recording End'),
  }), { minLength: count, maxLength: count }), { seed, numRuns: 1 });
  return picks.map((p, i) => ({
    'id': `bundled-${seed}-${i}`,
    'source': 'aws.ivs',
    'account': '123456789012',
    'detail-type': p.name.startsWith('Recording') ? 'IVS Participant Recording State Change' : 'IVS Stage Update',
    'time': new Date(Date.UTC(2026, 0, 1, 0, 0, p.second)).toISOString(),
    'resources': [p.stage],
    'detail': { event_name: p.name, session_id: 'st-Bundle', participant_id: p.participant },
  }));
}

const asBatch = (list: IvsEventEnvelope[]) => ({ Records: list.map((e, i) => ({ messageId: `m${i}`, body: JSON.stringify(e) })) });

describe('the bundled tracker handler', () => {
  test('batches of shuffled, duplicated events over 20 stages leave the table as the model says, with no failure', async () => {
    // GIVEN
    const history = events(900, 5);
    const twice = [...history, ...history.slice(0, 150)];
    const [delivered] = fc.sample(fc.shuffledSubarray(twice, { minLength: twice.length, maxLength: twice.length }), { seed: 9, numRuns: 1 });

    // WHEN: batches of 10, as an SQS event source mapping delivers them
    const failures: string[] = [];
    for (let i = 0; i < delivered.length; i += 10) {
      failures.push(...(await handler(asBatch(delivered.slice(i, i + 10)))).batchItemFailures.map(f => f.itemIdentifier));
    }

    // THEN
    expect(failures).toEqual([]);
    const model = history.map(changeOf).filter((c): c is TrackedChange => c !== undefined)
      .reduce((items, change) => applyToModel(items, change), new Map<string, ModelItem>());
    const items = (await moto.scan('bundled')).filter(i => i.pk.S!.includes('/Bundle'));
    for (const stage of STAGES) {
      const item = items.find(i => i.pk.S === stage && i.sk.S === STAGE_SK);
      expect([stage, Number(item?.publishers?.N ?? 0)]).toEqual([stage, publishersOf(model, stage)]);
    }
    expect(items.filter(i => i.sk.S !== STAGE_SK).map(i => [i.pk.S, i.sk.S, i.publishState?.S, i.recordingState?.S]).sort())
      .toEqual([...model.values()].map(m => [m.pk, m.sk, m.states.publish?.state, m.states.recording?.state]).sort());
  }, 300_000);

  test('a record it cannot apply is reported as a batch item failure and logged; the others are applied', async () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const [good] = events(1, 77);
    const response = await handler({ Records: [{ messageId: 'bad', body: '{not json' }, { messageId: 'good', body: JSON.stringify(good) }] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(log.mock.calls.map(c => JSON.parse(c[0]).messageId)).toEqual(['bad']);
    log.mockRestore();
  }, 60_000);

  test('events that are not IVS events of this account are ignored, not applied and not failed', async () => {
    const log = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const [event] = events(1, 99);
    const forged = [{ ...event, source: 'my.app' }, { ...event, account: '999999999999' }];
    const before = (await moto.scan('bundled')).length;
    expect((await handler(asBatch(forged))).batchItemFailures).toEqual([]);
    expect((await moto.scan('bundled')).length).toEqual(before);
    expect(log).toHaveBeenCalledTimes(2);
    log.mockRestore();
  }, 60_000);

  test('an unavailable table fails every record, so SQS retries them and, in the end, dead-letters them', async () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    process.env.TABLE_NAME = 'no-such-table';
    try {
      const batch = asBatch(events(3, 13));
      const response = await handler(batch);
      expect(response.batchItemFailures.map(f => f.itemIdentifier)).toEqual(batch.Records.map(r => r.messageId));
      expect(new Set(log.mock.calls.map(c => JSON.parse(c[0]).error))).toEqual(new Set(['ResourceNotFoundException']));
    } finally {
      process.env.TABLE_NAME = 'bundled';
      log.mockRestore();
    }
  }, 60_000);

  describe('throttling', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await FaultProxy.start(moto.endpoint);
    });
    afterAll(() => proxy?.stop());

    /** A fresh copy of the bundle whose DynamoDB client goes through the proxy (the client is made on the first call). */
    async function throughProxy(batch: ReturnType<typeof asBatch>) {
      let fresh: typeof handler = handler;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        fresh = require(TRACKER_BUNDLE).handler;
      });
      process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.endpoint;
      try {
        return { handler: fresh, response: await fresh(batch) };
      } finally {
        process.env.AWS_ENDPOINT_URL_DYNAMODB = moto.endpoint;
      }
    }

    /** Every stage's `publishers` equals its participants publishing: the table is never half-written. */
    async function expectCountsConsistent(stages: string[]): Promise<void> {
      const items = await moto.scan('bundled');
      for (const stage of stages) {
        const counted = items.filter(i => i.pk.S === stage && i.sk.S!.startsWith('PARTICIPANT#') && i.publishState?.S === 'PUBLISHED').length;
        expect([stage, Number(items.find(i => i.pk.S === stage && i.sk.S === STAGE_SK)?.publishers?.N ?? 0)]).toEqual([stage, counted]);
      }
    }

    test.each([
      ['TransactWriteItems', 'ProvisionedThroughputExceededException', 'Participant Published'],
      ['TransactWriteItems', 'ThrottlingException', 'Participant Published'],
      ['GetItem', 'ThrottlingException', 'Participant Published'],
      ['GetItem', 'ProvisionedThroughputExceededException', 'Recording Start'],
      ['UpdateItem', 'ProvisionedThroughputExceededException', 'Recording Start'],
    ])('%s answering %s fails every record (%s) as a batch item failure, never half-applied; redelivered, they apply', async (operation, fault, name) => {
      // GIVEN
      const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const stages = [`arn:aws:ivs:us-east-1:123456789012:stage/Throttled${operation}${fault.length}${name.length}`];
      const batch = asBatch(['p1', 'p2'].map((participant, i) => ({
        'id': `throttled-${operation}-${fault}-${name}-${i}`,
        'source': 'aws.ivs',
        'account': '123456789012',
        'detail-type': name.startsWith('Recording') ? 'IVS Participant Recording State Change' : 'IVS Stage Update',
        'time': '2026-01-01T00:00:01Z',
        'resources': stages,
        'detail': { event_name: name, session_id: 'st-T', participant_id: participant },
      })));
      proxy.faults.set(operation, fault);
      try {
        // WHEN
        const { handler: throttled, response } = await throughProxy(batch);

        // THEN
        expect(response.batchItemFailures.map(f => f.itemIdentifier)).toEqual(batch.Records.map(r => r.messageId));
        expect(new Set(log.mock.calls.map(c => JSON.parse(c[0]).error))).toEqual(new Set([fault]));
        expect(proxy.faulted).toContain(operation);
        await expectCountsConsistent(stages);

        // WHEN the table recovers, SQS delivers the batch again
        proxy.faults.clear();
        expect((await throttled(batch)).batchItemFailures).toEqual([]);
        await expectCountsConsistent(stages);
        const items = (await moto.scan('bundled')).filter(i => i.pk.S === stages[0] && i.sk.S !== STAGE_SK);
        expect(items.map(i => i.publishState?.S ?? i.recordingState?.S)).toEqual(name.startsWith('Recording') ? ['STARTED', 'STARTED'] : ['PUBLISHED', 'PUBLISHED']);
      } finally {
        proxy.faults.clear();
        proxy.faulted.length = 0;
        log.mockRestore();
      }
    }, 120_000);

    test('a record throttled on every receive reaches the dead-letter queue after the construct\'s maxReceiveCount receives (SQS on moto)', async () => {
      // GIVEN: the construct's redrive policy, as synthesized
      const stack = testStack();
      const tracker = new IvsStageStateTracker(stack, 'Tracker', { maxReceiveCount: 3 });
      const template = Template.fromStack(stack);
      const dlqId = stack.getLogicalId(tracker.deadLetterQueue.node.defaultChild as CfnElement);
      const queueId = stack.getLogicalId(tracker.queue.node.defaultChild as CfnElement);
      const redrive = template.findResources('AWS::SQS::Queue')[queueId].Properties.RedrivePolicy;
      expect(redrive.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
      // ...and those queues on moto's SQS
      const dlq = await sqs('CreateQueue', { QueueName: 'tracker-dlq' });
      const { Attributes: { QueueArn } } = await sqs('GetQueueAttributes', { QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] });
      const queue = await sqs('CreateQueue', {
        QueueName: 'tracker-queue',
        // Failed records come back at once here; in AWS, after the visibility timeout.
        Attributes: { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: QueueArn, maxReceiveCount: redrive.maxReceiveCount }) },
      });
      const [event] = events(1, 31);
      await sqs('SendMessage', { QueueUrl: queue.QueueUrl, MessageBody: JSON.stringify(event) });
      // Every event starts with a read: throttled, whatever the event.
      proxy.faults.set('GetItem', 'ProvisionedThroughputExceededException');
      const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);

      // WHEN: received and handled as the event source mapping does, until the queue is empty
      let receives = 0;
      let throttled: typeof handler | undefined;
      try {
        for (;;) {
          const { Messages: messages = [] } = await sqs('ReceiveMessage', { QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10 });
          if (messages.length === 0) {
            break;
          }
          receives++;
          const batch = { Records: messages.map((m: any) => ({ messageId: m.MessageId, body: m.Body })) };
          const { batchItemFailures } = throttled ? await throttled(batch) : await throughProxy(batch).then(r => (throttled = r.handler, r.response));
          for (const m of messages.filter((received: any) => !batchItemFailures.some(f => f.itemIdentifier === received.MessageId))) {
            await sqs('DeleteMessage', { QueueUrl: queue.QueueUrl, ReceiptHandle: m.ReceiptHandle });
          }
        }
      } finally {
        proxy.faults.clear();
        log.mockRestore();
      }

      // THEN
      expect(receives).toEqual(3);
      const { Messages: dead = [] } = await sqs('ReceiveMessage', { QueueUrl: dlq.QueueUrl, MaxNumberOfMessages: 10 });
      expect(dead.map((m: any) => JSON.parse(m.Body).id)).toEqual([event.id]);
    }, 120_000);
  });

  /** moto's SQS, through its JSON protocol (the SQS client is not a dependency of this project). */
  async function sqs(operation: string, body: Record<string, unknown>): Promise<any> {
    const response = await fetch(moto.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${operation}`,
        'authorization': 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`SQS ${operation}: ${response.status} ${await response.text()}`);
    }
    return response.json();
  }
});

test('the integ snapshot deploys the handler this build bundles (integ-runner compares templates, not asset contents)', () => {
  const snapshot = path.join(__dirname, '..', 'integ.tracker.ts.snapshot');
  // `.bundle` folders hold integ-tests-alpha's assertion provider.
  const handlers = fs.readdirSync(snapshot).filter(dir => dir.startsWith('asset.') && !dir.endsWith('.bundle'))
    .map(dir => path.join(snapshot, dir, 'index.js')).filter(file => fs.existsSync(file));
  expect(handlers).toHaveLength(1);
  // A stale one: `npx projen integ:snapshot -- --force integ.tracker.ts`.
  expect(fs.readFileSync(handlers[0], 'utf8') === fs.readFileSync(TRACKER_BUNDLE, 'utf8')).toBe(true);
});
