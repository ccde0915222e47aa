import * as fs from 'fs';
import * as path from 'path';
import { IvsEvent } from '../../src';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** An EventBridge event as IVS sends it. */
export interface IvsEventJson {
  readonly 'detail-type': string;
  readonly 'source': string;
  readonly 'resources': string[];
  readonly 'detail': Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface Fixture {
  /** Path below test/fixtures, e.g. `realtime/recording-end.json`. */
  readonly file: string;
  readonly event: IvsEventJson;
}

export function loadFixture(file: string): Fixture {
  return { file, event: JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) };
}

function loadDir(dir: string): Fixture[] {
  return fs.readdirSync(path.join(FIXTURES, dir)).filter(f => f.endsWith('.json')).sort()
    .map(f => loadFixture(`${dir}/${f}`));
}

/** Every fixture of a real-time IVS event: the specification's examples and the derived ones. */
export function realtimeFixtures(): Fixture[] {
  return [...loadDir('realtime'), ...loadDir('derived')];
}

/** Events a real-time rule must never match. */
export function nonRealtimeFixtures(): Fixture[] {
  return loadDir('non-realtime');
}

/** The catalog event a fixture is an instance of, read from the fixture itself. */
export function catalogEventOf(fixture: Fixture): IvsEvent {
  const match = IvsEvent.all().find(e =>
    e.detailType.name === fixture.event['detail-type'] && e.eventName === fixture.event.detail.event_name);
  if (!match) {
    throw new Error(`fixture ${fixture.file} is not a catalog event`);
  }
  return match;
}

/**
 * A copy of a fixture that belongs to `stageArn`, written where the specification says IVS
 * puts the stage: `detail.stage_arn` for Composition events (whose `resources` keep the
 * composition ARN), `resources` otherwise.
 */
export function withStage(fixture: Fixture, stageArn: string): IvsEventJson {
  const event = JSON.parse(JSON.stringify(fixture.event)) as IvsEventJson;
  if (event['detail-type'] === 'IVS Composition State Change') {
    event.detail.stage_arn = stageArn;
  } else {
    event.resources.splice(0, event.resources.length, stageArn);
  }
  return event;
}

/** A copy of a fixture with `detail` fields replaced. */
export function withDetail(event: IvsEventJson, detail: Record<string, unknown>): IvsEventJson {
  return { ...event, detail: { ...event.detail, ...detail } };
}
