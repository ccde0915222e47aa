// The README's main job: synthesize the example app offline and print what it creates.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExampleApp } from './app';
import { summarize } from './summarize';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ivs-events-example-'));
const assembly = buildExampleApp(outdir).synth();
console.log(summarize(assembly));
console.log(`\nCloudFormation templates written to ${outdir}`);
