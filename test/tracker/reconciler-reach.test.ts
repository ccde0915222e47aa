// The reconciler's reach, through the bundled handler file on moto's DynamoDB with IVS stubbed:
// the stage list as the deployment writes it (the CloudFormation custom resource), a durable
// cursor, and every stage checked within the README's bound on a simulated clock, whatever the
// schedule, the number of stages and the budget, with a stage list or with ListStages.
import * as http from 'http';
import {
  GetStageCommand, IVSRealTimeClient, ListParticipantEventsCommand, ListParticipantsCommand, ListStagesCommand,
} from '@aws-sdk/client-ivs-realtime';
import { mockClient } from 'aws-sdk-client-mock';
import { MotoServer } from '../../devkit/moto';
import { TRACKER_BUNDLE, loadTrackerBundle } from '../util/tracker-bundle';

const ivs = mockClient(IVSRealTimeClient);
let moto: MotoServer;
let reconcileHandler: (event?: unknown, context?: unknown) => Promise<any>;
const saved = { ...process.env };

beforeAll(async () => {
  moto = await MotoServer.start();
  loadTrackerBundle('unused', moto.endpoint);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  reconcileHandler = require(TRACKER_BUNDLE).reconcileHandler;
}, 60_000);

afterAll(() => {
  moto?.stop();
  process.env = saved;
});

const stagesOf = (count: number, prefix = 'Reach') =>
  Array.from({ length: count }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/${prefix}${String(i).padStart(6, '0')}`);

/** IVS: every 4th stage has a live session with one publisher (3 calls to check it), the others none (1 call). */
function stubIvs(arns: string[], pageSize: number, refused: string[] = []): void {
  ivs.reset();
  const active = new Set(arns.filter((_, i) => i % 4 === 0));
  ivs.on(GetStageCommand).callsFake(async ({ arn }) => {
    if (refused.includes(arn)) {
      throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    }
    return { stage: { arn, ...(active.has(arn) ? { activeSessionId: 'st-1' } : {}) } };
  });
  ivs.on(ListParticipantsCommand).resolves({ participants: [{ participantId: 'p1', published: true }] });
  ivs.on(ListParticipantEventsCommand).resolves({ events: [{ name: 'PUBLISH_STARTED', eventTime: new Date(Date.UTC(2026, 0, 1)) }] });
  ivs.on(ListStagesCommand).callsFake(async ({ nextToken }) => {
    const start = nextToken ? Number(nextToken) : 0;
    const end = start + pageSize;
    return { stages: arns.slice(start, end).map(arn => ({ arn })), ...(end < arns.length ? { nextToken: String(end) } : {}) };
  });
}

/** Sends a CloudFormation custom resource request to the bundled function, as CloudFormation does; returns its response. */
async function customResource(requestType: 'Create' | 'Update' | 'Delete', stageArns: string[]): Promise<any> {
  let response: any;
  const server = http.createServer((request, reply) => {
    let body = '';
    request.on('data', chunk => body += chunk);
    request.on('end', () => {
      response = { method: request.method, ...JSON.parse(body) };
      reply.end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  try {
    await reconcileHandler({
      RequestType: requestType,
      ResponseURL: `http://127.0.0.1:${(server.address() as any).port}/signed`,
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
      RequestId: 'r1',
      LogicalResourceId: 'TrackerStageList',
      ResourceType: 'Custom::IvsTrackedStages',
      ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'tracked-stages' }),
      ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:f', StageArns: stageArns },
    }, { getRemainingTimeInMillis: () => 300_000 });
  } finally {
    server.close();
  }
  return response;
}

/** One scheduled run at `time`, as EventBridge invokes it; returns the stages it asked IVS about and its metric line. */
async function run(time: Date): Promise<{ checked: string[]; line: any }> {
  ivs.resetHistory();
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await reconcileHandler({ 'detail-type': 'Scheduled Event', 'source': 'aws.events', 'time': time.toISOString() },
      { getRemainingTimeInMillis: () => 300_000 });
    const line = log.mock.calls.map(c => JSON.parse(c[0])).find(l => l._aws);
    return { checked: ivs.commandCalls(GetStageCommand).map(c => c.args[0].input.arn!), line };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/**
 * The README's bound: a run checks at least k = max(1, floor((budget - L) / c)) stages, c being
 * the calls of the costliest stage (3 here) and L the ListStages calls (none with a stage list,
 * at most 1 + ceil(stages / page) without), so every stage within ceil(stages / k) runs.
 */
function boundInRuns(stages: number, budget: number, pageSize?: number): number {
  const listCalls = pageSize === undefined ? 0 : 1 + Math.ceil(stages / pageSize);
  return Math.ceil(stages / Math.max(1, Math.floor((budget - listCalls) / 3)));
}

let tables = 0;
async function tracker(mode: 'listed' | 'ListStages', arns: string[], budget: number): Promise<string> {
  const table = `reach-${tables++}`;
  await moto.createTable(table);
  Object.assign(process.env, { TABLE_NAME: table, STAGES_FROM: mode === 'listed' ? 'table' : 'ListStages', MAX_API_CALLS: String(budget) });
  if (mode === 'listed') {
    expect(await customResource('Create', arns)).toMatchObject({ method: 'PUT', Status: 'SUCCESS', PhysicalResourceId: 'tracked-stages' });
  }
  return table;
}

describe('the reconciler reaches every stage within the stated bound', () => {
  test.each([
    // stages, schedule (minutes), budget, ListStages page size
    [10, 5, 3, 5], // the case: on main, runs start at stages 0, 5, 0, 5, ...
    [12, 60, 3, 5], // on main, every run starts at stage 0
    [12, 1, 7, 100],
    [12, 5, 1, 5], // an active stage costs 3 calls, more than the whole budget: it still finishes
    [37, 5, 3, 10],
    [37, 15, 50, 10],
    [37, 1440, 10, 100],
  ])('%i stages, a run every %i minutes, %i calls per run (ListStages pages of %i)', async (count, minutes, budget, pageSize) => {
    for (const mode of ['ListStages', 'listed'] as const) {
      // GIVEN
      const arns = stagesOf(count, `R${count}x${minutes}x${budget}`);
      stubIvs(arns, pageSize);
      await tracker(mode, arns, budget);
      const bound = boundInRuns(count, budget, mode === 'listed' ? undefined : pageSize);

      // WHEN the schedule runs it twice as often as the bound, from 08:00
      const checkedBy: string[][] = [];
      for (let i = 0; i < 2 * bound; i++) {
        checkedBy.push((await run(new Date(Date.UTC(2026, 0, 1, 8) + i * minutes * 60_000))).checked);
      }

      // THEN any `bound` consecutive runs, wherever the cursor was, checked every stage
      for (let first = 0; first + bound <= checkedBy.length; first++) {
        const reached = new Set(checkedBy.slice(first, first + bound).flat());
        expect([mode, first, arns.filter(arn => !reached.has(arn))]).toEqual([mode, first, []]);
      }
    }
  }, 300_000);

  test('the stage list is written by the deployment, replaced on update, and left on delete; without it a run fails', async () => {
    const arns = stagesOf(3, 'List');
    stubIvs(arns, 100);
    await tracker('listed', arns, 100);
    expect((await run(new Date())).checked.sort()).toEqual(arns);
    expect(await customResource('Update', arns.slice(1))).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'tracked-stages' });
    expect((await run(new Date())).checked.sort()).toEqual(arns.slice(1));
    expect(await customResource('Delete', [])).toMatchObject({ Status: 'SUCCESS' });

    // A table without the list (the deployment has not written it): the run fails, so the
    // reconciler's error alarm fires, rather than checking no stage in silence.
    await moto.createTable('no-list');
    Object.assign(process.env, { TABLE_NAME: 'no-list', STAGES_FROM: 'table' });
    await expect(reconcileHandler({ time: new Date().toISOString() }, { getRemainingTimeInMillis: () => 300_000 })).rejects.toThrow(/stage list/);
  }, 60_000);

  test('a stage IVS refuses on every run is counted as Failures, and as a stage failing repeatedly from its third check', async () => {
    // GIVEN 4 stages, one of which IVS refuses, and a budget of 1 stage per run
    const arns = stagesOf(4, 'Fail');
    stubIvs(arns, 100, [arns[2]]);
    await tracker('listed', arns, 1);

    // WHEN 12 runs check each stage 3 times
    const lines: any[] = [];
    for (let i = 0; i < 12; i++) {
      lines.push((await run(new Date(Date.UTC(2026, 0, 1, 8, 5 * i)))).line);
    }

    // THEN both are declared metrics, and the repeated failure shows from the third check on
    expect(lines[0]._aws.CloudWatchMetrics[0].Metrics.map((m: any) => m.Name)).toEqual(expect.arrayContaining(['Failures', 'StagesFailingRepeatedly']));
    expect(lines.map(l => l.Failures)).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(lines.map(l => l.StagesFailingRepeatedly)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  }, 60_000);
});
