import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
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
      notificationMessage: events.RuleTargetInput.fromText(
        `Amazon IVS ${field('$.detail.event_name')} at ${events.EventField.time} `
        + `in ${events.EventField.account}/${events.EventField.region}. Stage: ${field('$.resources[0]')}. `
        + `Session: ${field('$.detail.session_id')}. Participant: ${field('$.detail.participant_id')}. User: ${field('$.detail.user_id')}`),
    });
  }
}
