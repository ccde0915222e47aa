import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  CompositionDestination, IvsAutoComposition, IvsRealTimeCentralMonitoring, IvsRealTimeMonitoring, IvsRecordingReady, MonitoringProfile,
} from '../src';

/** The accounts of the example organization: one per environment, one for monitoring. */
export const ACCOUNTS = { dev: '111111111111', staging: '333333333333', prod: '222222222222', monitoring: '999999999999' } as const;
const REGION = 'us-east-1';
const CENTRAL_BUS = `arn:aws:events:${REGION}:${ACCOUNTS.monitoring}:event-bus/ivs-realtime-central`;

export interface IvsAppStackProps extends StackProps {
  readonly environmentName: string;
  readonly profile: MonitoringProfile;
  /** Keep every stage's state in a table (`IvsStageStateTracker`), with its alarms on the dashboard. */
  readonly stateTracking?: boolean;
  /**
   * Record each stage's composition while it is active (`IvsAutoComposition`, needs
   * `stateTracking`) and announce every recording once its files are written (`IvsRecordingReady`).
   */
  readonly recordCompositions?: boolean;
}

/** One environment of an IVS application: its stage, and its monitoring, forwarded to the central account. */
export class IvsAppStack extends Stack {
  constructor(scope: Construct, id: string, props: IvsAppStackProps) {
    super(scope, id, props);

    const stage = new ivs.CfnStage(this, 'Stage', { name: `${props.environmentName}-main-stage` });
    const oncall = new sns.Topic(this, 'Oncall', { enforceSSL: true });
    const chat = new sns.Topic(this, 'Chat', { enforceSSL: true });

    const monitoring = new IvsRealTimeMonitoring(this, 'Monitoring', {
      environmentName: props.environmentName,
      profile: props.profile,
      stateTracking: props.stateTracking,
      stages: [stage],
      perStageHealthAlarms: true,
      criticalTopics: [oncall],
      warningTopics: [chat],
      forwardTo: events.EventBus.fromEventBusArn(this, 'CentralBus', CENTRAL_BUS),
    });
    if (props.recordCompositions) {
      if (!monitoring.stateTracker) throw new Error('`recordCompositions` needs `stateTracking`');
      this.recordCompositions(monitoring, oncall, chat);
    }
  }

  /** The stage's composite recording, started and stopped with its activity; each recording announced on the chat topic. */
  private recordCompositions(monitoring: IvsRealTimeMonitoring, oncall: sns.ITopic, chat: sns.ITopic) {
    const tracker = monitoring.stateTracker!;
    // The environment's one key: the machines' log groups and the announcements' dead-letter queue.
    const encryptionKey = monitoring.encryptionKey;
    // Composite recording wants SSE-S3 and bucket-owner object ownership (IVS real-time user guide).
    const bucket = new s3.Bucket(this, 'Recordings', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });
    const storage = new ivs.CfnStorageConfiguration(this, 'Storage', { s3: { bucketName: bucket.bucketName } });
    const encoder = new ivs.CfnEncoderConfiguration(this, 'Encoder', { name: `${this.stackName}-hd` });
    new IvsAutoComposition(this, 'Compositions', {
      tracker,
      destinations: [CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder })],
      stopGracePeriod: Duration.minutes(2),
      alarmTopic: oncall,
      encryptionKey,
    });
    new IvsRecordingReady(this, 'RecordingsReady', { buckets: [bucket], tracker, alarmTopic: oncall, encryptionKey }).notify('Chat', chat);
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

/**
 * The example app, synthesized into `outdir`: dev, staging and prod differ in their profile, and
 * prod tracks stage state, records its compositions and announces its recordings.
 */
export function buildExampleApp(outdir?: string): App {
  const app = new App({ outdir });
  new IvsAppStack(app, 'IvsDev', {
    environmentName: 'dev', profile: MonitoringProfile.DEVELOPMENT, env: { account: ACCOUNTS.dev, region: REGION },
  });
  new IvsAppStack(app, 'IvsStaging', {
    environmentName: 'staging', profile: MonitoringProfile.STAGING, env: { account: ACCOUNTS.staging, region: REGION },
  });
  new IvsAppStack(app, 'IvsProd', {
    environmentName: 'prod', profile: MonitoringProfile.PRODUCTION, stateTracking: true, recordCompositions: true, env: { account: ACCOUNTS.prod, region: REGION },
  });
  new IvsCentralMonitoringStack(app, 'IvsMonitoring', { env: { account: ACCOUNTS.monitoring, region: REGION } });
  return app;
}
