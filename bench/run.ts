// The scale and cost benchmark (`npx projen bench`): for N stages, synthesizes the library's
// production monitoring and the hand-written baseline (bench/baseline.ts) alternately,
// several runs each, and writes the medians with rule, alarm, resource and cost figures to
// docs/benchmarks.md, followed by the state tracker's benchmark (bench/tracker.ts). Nothing is
// deployed; every number in the doc comes from this run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { baselineMonitoring } from './baseline';
import { trackerBenchmark } from './tracker';
import { renderTracker } from './tracker-report';
import { PRICES, fixedMonthlyCost } from '../devkit/prices';
import { IvsRealTimeMonitoring, IvsStageEventRule, IvsEvent, MonitoringProfile } from '../src';

const STAGE_COUNTS = [1, 10, 100, 1000];
// Synthesis takes tens of milliseconds at small N, where a few runs are mostly I/O and GC noise.
const RUNS = Number(process.env.BENCH_RUNS ?? 31);

type Variant = 'library' | 'baseline';

interface Measurement {
  readonly seconds: number;
  readonly template: Record<string, any>;
}

function synth(variant: Variant, stages: number): Measurement {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ivs-bench-'));
  const start = performance.now();
  const app = new App({ outdir });
  const env = { account: '123456789012', region: 'us-east-1' };
  // The stages live in stacks of their own (CloudFormation allows 500 resources a stack).
  for (let i = 0; i < stages; i++) {
    const stagesStack = (app.node.tryFindChild(`Stages${Math.floor(i / 400)}`) as Stack | undefined)
      ?? new Stack(app, `Stages${Math.floor(i / 400)}`, { env });
    new ivs.CfnStage(stagesStack, `Stage${i}`, { name: `stage-${i}` });
  }
  const stack = new Stack(app, 'Bench', { env });
  const oncall = new sns.Topic(stack, 'Oncall', { enforceSSL: true });
  const chat = new sns.Topic(stack, 'Chat', { enforceSSL: true });
  if (variant === 'library') {
    new IvsRealTimeMonitoring(stack, 'Monitoring', {
      environmentName: 'prod', profile: MonitoringProfile.PRODUCTION, criticalTopics: [oncall], warningTopics: [chat],
    });
  } else {
    baselineMonitoring(stack, oncall, chat);
  }
  const assembly = app.synth();
  const seconds = (performance.now() - start) / 1000;
  const template = assembly.getStackByName('Bench').template;
  fs.rmSync(outdir, { recursive: true, force: true });
  return { seconds, template };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function count(template: Record<string, any>, type: string): number {
  return Object.values<any>(template.Resources).filter(r => r.Type === type).length;
}

/** How many rules a stage list forces per rule kind at the default quota, measured with the library itself. */
function stageListRules(stages: number): string {
  const arns = Array.from({ length: stages }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Stage${String(i).padStart(7, '0')}`);
  const kinds: [string, IvsEvent[] | undefined][] = [['every event', undefined], ['composition failures', IvsEvent.compositionFailures()]];
  return kinds.map(([name, events]) => {
    const stack = new Stack(new App(), 'Split');
    return `${new IvsStageEventRule(stack, 'Rule', { events, stageArns: arns }).rules.length} (${name})`;
  }).join(', ');
}

async function main(): Promise<void> {
  for (let i = 0; i < 5; i++) { // warm up module loading and the JIT for both variants
    synth('library', 1);
    synth('baseline', 1);
  }
  const rows: string[] = [];
  const verdict = { maxRatio: 0, rules1000: 0, rules1: 0, alarms: new Set<number>() };
  for (const stages of STAGE_COUNTS) {
    const times: Record<Variant, number[]> = { library: [], baseline: [] };
    const last: Partial<Record<Variant, Measurement>> = {};
    for (let run = 0; run < RUNS; run++) {
      // Alternate which goes first, so neither always runs on a warmer heap.
      const order: Variant[] = run % 2 === 0 ? ['library', 'baseline'] : ['baseline', 'library'];
      for (const variant of order) {
        const measurement = synth(variant, stages);
        times[variant].push(measurement.seconds);
        last[variant] = measurement;
      }
    }
    const lib = last.library!.template;
    const base = last.baseline!.template;
    const ratio = median(times.library) / median(times.baseline);
    verdict.maxRatio = Math.max(verdict.maxRatio, ratio);
    verdict.alarms.add(count(lib, 'AWS::CloudWatch::Alarm'));
    if (stages === 1) {
      verdict.rules1 = count(lib, 'AWS::Events::Rule');
    }
    if (stages === 1000) {
      verdict.rules1000 = count(lib, 'AWS::Events::Rule');
    }
    rows.push(`| ${stages} | ${median(times.library).toFixed(3)} | ${median(times.baseline).toFixed(3)} | ${ratio.toFixed(2)} | `
      + `${count(lib, 'AWS::Events::Rule')} / ${count(base, 'AWS::Events::Rule')} | ${count(lib, 'AWS::CloudWatch::Alarm')} / ${count(base, 'AWS::CloudWatch::Alarm')} | `
      + `${Object.keys(lib.Resources).length} / ${Object.keys(base.Resources).length} | `
      + `${(JSON.stringify(lib).length / 1024).toFixed(1)} / ${(JSON.stringify(base).length / 1024).toFixed(1)} | `
      + `$${fixedMonthlyCost(lib).toFixed(2)} / $${fixedMonthlyCost(base).toFixed(2)} |`);
    console.log(rows[rows.length - 1]);
  }
  const listRows = [1, 10, 100, 1000].map(n => `| ${n} | ${stageListRules(n)} |`);
  const targets = [
    `- Synth-time ratio library/baseline <= 1.10 at every N: ${verdict.maxRatio <= 1.1 ? 'met' : 'NOT met'} (highest ${verdict.maxRatio.toFixed(2)}).`,
    `- Rules for 1000 stages no more than the pattern quota forces: ${verdict.rules1000 <= verdict.rules1 ? 'met' : 'NOT met'} `
      + `(${verdict.rules1000} rules for 1000 stages, ${verdict.rules1} for 1; monitoring every stage puts no stage in a pattern, so the quota forces none).`,
    `- Alarms independent of N by default: ${verdict.alarms.size === 1 ? 'met' : 'NOT met'} (${[...verdict.alarms].join(', ')} alarms).`,
  ];
  const tracker = renderTracker(await trackerBenchmark(RUNS));
  const doc = `${render(rows, listRows, targets)}\n${tracker}`;
  fs.writeFileSync(path.join(__dirname, '..', 'docs', 'benchmarks.md'), doc);
  console.log(`\nWrote docs/benchmarks.md (${RUNS} runs per variant and N).`);
}

function render(rows: string[], listRows: string[], targets: string[]): string {
  return `# Benchmarks: scale and cost

Generated by \`npm ci && npx projen bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} CPUs.
Do not edit by hand: run the command again.

## Production monitoring of an account with N stages

Each run synthesizes an app with N \`AWS::IVS::Stage\` resources (in stacks of 400) and a monitoring stack with either
\`IvsRealTimeMonitoring\` (production profile, every stage of the account, critical and warning
topics) or the same monitoring written by hand with plain aws-cdk-lib (bench/baseline.ts: the same
rules and patterns, dead-letter queue, log groups, archive, recording topic and messages, alarms,
key and dashboard). The two alternate, ${RUNS} runs each; times are medians of the whole synthesis
(construction and \`app.synth()\` of every stack). Figures are library / baseline; rules, alarms,
resources and template size are those of the monitoring stack.

| N stages | synth library (s) | synth baseline (s) | ratio | rules | alarms | resources | template (KiB) | fixed cost / month |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Fixed monthly cost counts alarm metrics ($${PRICES.alarmMetricMonth.toFixed(2)} each; a metric math alarm pays for every metric it
reads), customer managed KMS keys ($${PRICES.kmsKeyMonth.toFixed(2)}) and dashboards ($${PRICES.dashboardMonth.toFixed(2)}), us-east-1 prices written down on
${PRICES.date}. Usage (events, log ingestion and storage, archive storage, SNS deliveries) depends on traffic and is not included.

## Stage lists

Monitoring every stage of the account needs no stage in any pattern: the rule and alarm counts
above do not grow with N. A stage list is folded into the patterns instead, and the pattern quota
(2048 characters by default) forces extra rules. Rules an \`IvsStageEventRule\` needs for N listed
stage ARNs, at the default quota (greedy packing of equal-length ARNs is the minimum):

| N listed stages | rules |
|---|---|
${listRows.join('\n')}

An event alarm can sum at most 10 rules (CloudWatch's metric math limit for alarms), so listing
more stages than about 330 in one alarm is refused at synth time; raise \`maxPatternLength\` to 4096
where the account's quota allows, or monitor every stage of the account.

## Reading it

${targets.join('\n')}

Times are small at every N (tens of milliseconds for the monitoring itself), so the ratio moves by a
few percent between runs at N = 1; the library's extra work is its validation, pattern rendering
and the construct-tree checks the baseline skips. At N = 1000 both spend most of the time
synthesizing the stage stacks. Templates differ in size because the library writes descriptions
on every rule and alarm.
`;
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
