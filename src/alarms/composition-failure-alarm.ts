import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { failureMessage } from './failure-message';
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
      notificationMessage: failureMessage('composition', { stageArn: field('$.detail.stage_arn'), compositionArn: field('$.resources[0]') }),
    });
  }
}
