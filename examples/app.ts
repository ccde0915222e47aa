import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { IvsRealTimeCentralMonitoring, IvsRealTimeMonitoring, MonitoringProfile } from '../src';

/** The accounts of the example organization: one per environment, one for monitoring. */
export const ACCOUNTS = { dev: '111111111111', staging: '333333333333', prod: '222222222222', monitoring: '999999999999' } as const;
const REGION = 'us-east-1';
const CENTRAL_BUS = `arn:aws:events:${REGION}:${ACCOUNTS.monitoring}:event-bus/ivs-realtime-central`;

export interface IvsAppStackProps extends StackProps {
  readonly environmentName: string;
  readonly profile: MonitoringProfile;
  /** Keep every stage's state in a table (`IvsStageStateTracker`), with its alarms on the dashboard. */
  readonly stateTracking?: boolean;
}

/** One environment of an IVS application: its stage, and its monitoring, forwarded to the central account. */
export class IvsAppStack extends Stack {
  constructor(scope: Construct, id: string, props: IvsAppStackProps) {
    super(scope, id, props);

    const stage = new ivs.CfnStage(this, 'Stage', { name: `${props.environmentName}-main-stage` });
    const oncall = new sns.Topic(this, 'Oncall', { enforceSSL: true });
    const chat = new sns.Topic(this, 'Chat', { enforceSSL: true });

    new IvsRealTimeMonitoring(this, 'Monitoring', {
      environmentName: props.environmentName,
      profile: props.profile,
      stateTracking: props.stateTracking,
      stages: [stage],
      perStageHealthAlarms: true,
      criticalTopics: [oncall],
      warningTopics: [chat],
      forwardTo: events.EventBus.fromEventBusArn(this, 'CentralBus', CENTRAL_BUS),
    });
  }
}

/** The monitoring account: every environment's IVS events, alarms and dashboard in one place. */
export class IvsCentralMonitoringStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const oncall = new sns.Topic(this, 'Oncall', { enforceSSL: true });
    new IvsRealTimeCentralMonitoring(this, 'Central', {
      sourceAccounts: [ACCOUNTS.dev, ACCOUNTS.staging, ACCOUNTS.prod],
      criticalTopics: [oncall],
    });
  }
}

/** The example app, synthesized into `outdir`: dev, staging and prod differ in their profile, and prod tracks stage state. */
export function buildExampleApp(outdir?: string): App {
  const app = new App({ outdir });
  new IvsAppStack(app, 'IvsDev', {
    environmentName: 'dev', profile: MonitoringProfile.DEVELOPMENT, env: { account: ACCOUNTS.dev, region: REGION },
  });
  new IvsAppStack(app, 'IvsStaging', {
    environmentName: 'staging', profile: MonitoringProfile.STAGING, env: { account: ACCOUNTS.staging, region: REGION },
  });
  new IvsAppStack(app, 'IvsProd', {
    environmentName: 'prod', profile: MonitoringProfile.PRODUCTION, stateTracking: true, env: { account: ACCOUNTS.prod, region: REGION },
  });
  new IvsCentralMonitoringStack(app, 'IvsMonitoring', { env: { account: ACCOUNTS.monitoring, region: REGION } });
  return app;
}
