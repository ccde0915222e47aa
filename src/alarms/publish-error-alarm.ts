import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { failureMessage } from './failure-message';
import { IvsEventAlarm, IvsEventAlarmOptions } from './ivs-event-alarm';
import { IvsEvent } from '../events/ivs-event';

/**
 * Properties for a `PublishErrorAlarm`.
 */
export interface PublishErrorAlarmProps extends IvsEventAlarmOptions {}

/**
 * Alarms when participants fail to publish to a stage (Participant Publish Error) more
 * often than `threshold` within `period`. A single error is often a client's network or
 * token problem: raise `threshold` to alarm on patterns rather than individuals.
 */
export class PublishErrorAlarm extends IvsEventAlarm {
  constructor(scope: Construct, id: string, props: PublishErrorAlarmProps = {}) {
    const field = events.EventField.fromPath;
    super(scope, id, {
      ...props,
      events: [IvsEvent.PARTICIPANT_PUBLISH_ERROR],
      notificationMessage: failureMessage('stage', { stageArn: field('$.resources[0]') }),
    });
  }
}
