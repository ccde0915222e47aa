import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IvsEvent, IvsStageEventRule } from '../src';

/** What a team running one IVS stage typically wires: everything to a topic, failures of the stage to a queue. */
export class IvsEventsExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const stage = new ivs.CfnStage(this, 'Stage', { name: 'main-stage' });
    const alerts = new sns.Topic(this, 'Alerts', { enforceSSL: true });
    const failures = new sqs.Queue(this, 'Failures', { enforceSSL: true });

    new IvsStageEventRule(this, 'AllEvents', {
      targets: [new targets.SnsTopic(alerts)],
    });
    new IvsStageEventRule(this, 'MainStageFailures', {
      events: IvsEvent.failures(),
      stages: [stage],
      targets: [new targets.SqsQueue(failures)],
    });
  }
}

/** The example app, synthesized into `outdir`. */
export function buildExampleApp(outdir?: string): App {
  const app = new App({ outdir });
  new IvsEventsExampleStack(app, 'IvsEventsExample', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}
