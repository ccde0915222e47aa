import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { sumOfMetrics } from '../private/metrics';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

/** A graph of how often a rule (or several) matched. */
export interface CountGraph {
  readonly title: string;
  readonly rules: IvsStageEventRule[];
}

export interface DashboardSpec {
  readonly dashboardName: string;
  readonly title: string;
  /** Read when the dashboard is rendered (at synthesis), so that alarms added after construction are shown. */
  readonly alarms: () => cloudwatch.IAlarm[];
  readonly allEventsLogGroup: logs.ILogGroup;
  /** Also break the event counts down by source account (central monitoring). */
  readonly byAccount: boolean;
  /** One graph per event alarm, in one row. */
  readonly eventCounts: CountGraph[];
  /** The rules whose matches are finished recordings. */
  readonly recordingsCompleted: IvsStageEventRule[];
  readonly deadLetterQueue: sqs.IQueue;
  readonly deliveryRules: IvsStageEventRule[];
  /** Stage health graphs; none where AWS/IVSRealTime is in another account. */
  readonly health: cloudwatch.IMetric[][];
}

const PERIOD = Duration.minutes(1);
const FULL = 24;
const HALF = 12;
const THIRD = 8;
const HEIGHT = 6;

/**
 * One dashboard per environment, read top to bottom: is anything in ALARM, what IVS is
 * sending, what failed, whether every event was delivered, how the stages feel.
 */
export function createDashboard(scope: Construct, spec: DashboardSpec): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: spec.dashboardName,
    defaultInterval: Duration.hours(3),
  });
  dashboard.addWidgets(
    new cloudwatch.TextWidget({ markdown: `# ${spec.title}`, width: FULL, height: 1 }),
  );
  dashboard.addWidgets(
    new LateAlarmStatusWidget('Alarms', spec.alarms, FULL, 3),
  );
  dashboard.addWidgets(new cloudwatch.LogQueryWidget({
    title: spec.byAccount ? 'IVS events per minute, by source account and event name' : 'IVS events per minute, by event name',
    logGroupNames: [spec.allEventsLogGroup.logGroupName],
    // Logs Insights draws a query grouped by fields and bin() as bars (CWL_QuerySyntax-Stats).
    queryLines: [`stats count(*) as events by ${spec.byAccount ? 'account, ' : ''}detail.event_name, bin(1m)`],
    view: cloudwatch.LogQueryVisualizationType.BAR,
    width: FULL,
    height: HEIGHT,
  }));
  dashboard.addWidgets(...spec.eventCounts.map(graph =>
    countGraph(graph.title, graph.rules, 'TriggeredRules', Math.floor(FULL / spec.eventCounts.length))));
  dashboard.addWidgets(
    spec.recordingsCompleted.length > 0
      ? countGraph('Recordings completed', spec.recordingsCompleted)
      : new cloudwatch.TextWidget({ markdown: '**Recordings completed**: recording notifications are not set up here.', width: THIRD, height: HEIGHT }),
    new cloudwatch.GraphWidget({
      title: 'Undelivered events waiting in the dead-letter queue',
      left: [spec.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: PERIOD, label: 'messages' })],
      leftYAxis: { min: 0 },
      width: THIRD,
      height: HEIGHT,
    }),
    countGraph('Failed invocations', spec.deliveryRules, 'FailedInvocations'),
  );
  for (const row of spec.health) {
    dashboard.addWidgets(...row.map(metric => new cloudwatch.GraphWidget({
      title: `Stage health: ${metricLabel(metric)}`,
      left: [metric],
      leftYAxis: { min: 0 },
      width: HALF,
      height: HEIGHT,
    })));
  }
  return dashboard;
}

/** Sum of a metric over several rules (and their split rules), one line: the count an operator reads. */
function countGraph(title: string, rules: IvsStageEventRule[], metricName = 'TriggeredRules', width = THIRD): cloudwatch.GraphWidget {
  const metric = sumOfMetrics(rules.flatMap(rule => rule.metricForEachRule(metricName, { period: PERIOD })), title, PERIOD);
  return new cloudwatch.GraphWidget({ title, left: [metric], leftYAxis: { min: 0 }, width, height: HEIGHT });
}

function metricLabel(metric: cloudwatch.IMetric): string {
  const config = metric.toMetricConfig();
  return config.metricStat?.metricName ?? 'metric';
}

/** An alarm status widget whose alarms are listed when the dashboard body is rendered (a `Lazy` of aws-cdk-lib). */
class LateAlarmStatusWidget extends cloudwatch.ConcreteWidget {
  constructor(private readonly title: string, private readonly alarms: () => cloudwatch.IAlarm[], width: number, height: number) {
    super(width, height);
  }

  public toJson(): any[] {
    const widget = new cloudwatch.AlarmStatusWidget({ title: this.title, alarms: this.alarms(), width: this.width, height: this.height });
    widget.position(this.x ?? 0, this.y ?? 0);
    return widget.toJson();
  }
}
