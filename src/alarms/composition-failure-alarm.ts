import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { IvsEventAlarm, IvsEventAlarmOptions } from './ivs-event-alarm';
import { IvsEvent } from '../events/ivs-event';

/**
 * Properties for a `CompositionFailureAlarm`.
 */
export interface CompositionFailureAlarmProps extends IvsEventAlarmOptions {
  /**
   * Also count Destination Reconnecting: an interrupted output that IVS is retrying.
   *
   * @default false
   */
  readonly includeReconnecting?: boolean;
}

/**
 * Alarms on server-side composition failures: Session Failure (the pipeline could not
 * start) and Destination Failure (an output could not be written), optionally
 * Destination Reconnecting.
 */
export class CompositionFailureAlarm extends IvsEventAlarm {
  constructor(scope: Construct, id: string, props: CompositionFailureAlarmProps = {}) {
    const field = events.EventField.fromPath;
    super(scope, id, {
      ...props,
      events: [...IvsEvent.compositionFailures(), ...(props.includeReconnecting ? [IvsEvent.COMPOSITION_DESTINATION_RECONNECTING] : [])],
      notificationMessage: events.RuleTargetInput.fromText(
        `Amazon IVS composition ${field('$.detail.event_name')} at ${events.EventField.time} `
        + `in ${events.EventField.account}/${events.EventField.region}. Stage: ${field('$.detail.stage_arn')}. `
        + `Composition: ${field('$.resources[0]')}. Destination: ${field('$.detail.id')}. Reason: ${field('$.detail.reason')}`),
    });
  }
}
