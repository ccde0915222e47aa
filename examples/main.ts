// The README's main job: synthesize the example app offline and print what it creates.
import * as fs from 'fs';
import * as path from 'path';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { buildExampleApp } from './app';
import { summarize } from './summarize';

/** Synthesizes the example app into `outdir`, emptied first so that it holds exactly these templates. */
export function runExample(outdir: string = path.join(__dirname, 'cdk.out')): { assembly: cxapi.CloudAssembly; report: string } {
  fs.rmSync(outdir, { recursive: true, force: true });
  const assembly = buildExampleApp(outdir).synth();
  const templates = path.relative(process.cwd(), outdir) || '.';
  return { assembly, report: `${summarize(assembly)}\n\nCloudFormation templates: ${templates}/*.template.json` };
}

if (require.main === module) {
  console.log(runExample().report);
}
