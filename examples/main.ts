// The README's main job: synthesize the example app offline and print what it creates.
import * as fs from 'fs';
import * as path from 'path';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { buildExampleApp } from './app';
import { summarize, summaryData } from './summarize';

/** Synthesizes the example app into `outdir`, emptied first so that it holds exactly these templates. */
export function runExample(outdir: string = path.join(__dirname, 'cdk.out')) {
  fs.rmSync(outdir, { recursive: true, force: true });
  const assembly: cxapi.CloudAssembly = buildExampleApp(outdir).synth();
  const templates = path.relative(process.cwd(), outdir) || '.';
  return {
    assembly,
    report: `${summarize(assembly)}\n\nCloudFormation templates: ${templates}/*.template.json`,
    data: { ...summaryData(assembly), templates: `${templates}/*.template.json` },
  };
}

/** What `npx projen example` prints: the summary, or with `--json` the same as one JSON document for tools. */
export function exampleOutput(args: string[], outdir?: string): string {
  const unknown = args.filter(arg => arg !== '--json' && arg !== '--');
  if (unknown.length > 0) throw new Error(`example: unknown argument ${unknown.join(' ')} (only --json)`);
  const run = runExample(outdir);
  return args.includes('--json') ? JSON.stringify(run.data, undefined, 2) : run.report;
}

if (require.main === module) {
  console.log(exampleOutput(process.argv.slice(2)));
}
