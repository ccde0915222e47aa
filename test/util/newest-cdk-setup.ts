// Loaded only by scripts/newest-cdk.sh, which runs the jest suite against the newest
// aws-cdk-lib 2.x instead of the pinned 2.245.0.
//
// The committed template snapshots are what 2.245.0 synthesizes. A newer aws-cdk-lib changes
// some of its own defaults (a dashboard text widget gains `"background": "transparent"`,
// say), which says nothing about this library. So there, a template snapshot is compared by
// what an upgrade would do to a deployed stack: the same resources, with the same logical ids
// and types. A resource added, removed, renamed (CloudFormation would replace it) or of
// another type fails the test; property values are left to the other assertions.
import * as fs from 'fs';
import * as path from 'path';

const expected = process.env.NEWEST_CDK_VERSION;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loaded: string = require('aws-cdk-lib/package.json').version;
if (!expected || loaded !== expected) {
  throw new Error(`newest-cdk: expected aws-cdk-lib ${expected} but the tests load ${loaded}`);
}

/** `logicalId Type` of every resource of a template. */
function resourcesOf(template: any): string[] {
  return Object.entries<any>(template.Resources ?? {}).map(([id, resource]) => `${id} ${resource.Type}`);
}

/**
 * The same of a committed snapshot: jest prints objects with sorted keys and two spaces per
 * level, so the resources are the keys four spaces deep in the top-level "Resources" block.
 */
function committedResourcesOf(snapshot: string): string[] {
  const block = /^ {2}"Resources": \{\n([\s\S]*?)^ {2}\},$/m.exec(snapshot)?.[1] ?? '';
  const resources: string[] = [];
  for (const line of block.split('\n')) {
    const id = /^ {4}"([^"]+)": \{$/.exec(line)?.[1];
    const type = /^ {6}"Type": "([^"]+)",$/.exec(line)?.[1];
    if (id) resources.push(id);
    if (type && resources.length > 0) resources[resources.length - 1] += ` ${type}`;
  }
  return resources;
}

const committed = new Map<string, Record<string, string>>();
function committedSnapshots(testPath: string): Record<string, string> {
  const file = path.join(path.dirname(testPath), '__snapshots__', `${path.basename(testPath)}.snap`);
  if (!committed.has(file)) {
    const snapshots: Record<string, string> = {};
    if (fs.existsSync(file)) {
      // A snapshot file is a CommonJS module of template strings, read the way jest reads it.
      new Function('exports', fs.readFileSync(file, 'utf8'))(snapshots);
    }
    committed.set(file, snapshots);
  }
  return committed.get(file)!;
}

const calls = new Map<string, number>();
/** The part of jest's snapshot state (in every matcher's context) used here. */
interface SnapshotState { markSnapshotsAsCheckedForTest(testName: string): void }

expect.extend({
  toMatchSnapshot(this: jest.MatcherContext, received: any) {
    const testName = this.currentTestName ?? '';
    const count = (calls.get(testName) ?? 0) + 1;
    calls.set(testName, count);
    const key = `${testName} ${count}`;
    // Every snapshot of this test is accounted for here, so jest does not call it obsolete.
    (this as unknown as { snapshotState: SnapshotState }).snapshotState.markSnapshotsAsCheckedForTest(testName);

    const snapshot = committedSnapshots(this.testPath!)[key];
    if (snapshot === undefined) {
      return { pass: false, message: () => `newest-cdk: no committed snapshot \`${key}\`` };
    }
    if (typeof received?.Resources !== 'object') {
      return { pass: false, message: () => `newest-cdk: \`${key}\` is not a CloudFormation template; only templates are compared here` };
    }
    const actual = resourcesOf(received).sort();
    const before = committedResourcesOf(snapshot).sort();
    const added = actual.filter(r => !before.includes(r));
    const removed = before.filter(r => !actual.includes(r));
    return {
      pass: before.length > 0 && added.length === 0 && removed.length === 0,
      message: () => `newest-cdk: on aws-cdk-lib ${loaded}, \`${key}\` synthesizes other resources than the committed snapshot `
        + `(${before.length} resources read from it).\nOnly now: ${added.join(', ') || 'none'}\nOnly in the snapshot: ${removed.join(', ') || 'none'}`,
    };
  },
});
