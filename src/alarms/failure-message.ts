import * as events from 'aws-cdk-lib/aws-events';

/**
 * The message a preset sends per failure event: JSON, so that EventBridge encodes every
 * value it inserts (outside quotes it JSON-encodes, inside a quoted string it inserts the
 * raw value: eb-transform-target-input.html, "Common issues"). Only values that are always
 * present and never need escaping (the event name, time, account, region) go into the
 * `summary` text; the whole `detail` follows as an object, so a `reason` with quotes or
 * line breaks, or a destination id that only some events carry, cannot break the message.
 */
export function failureMessage(subject: string, resources: Record<string, string>): events.RuleTargetInput {
  const { EventField: field } = events;
  return events.RuleTargetInput.fromObject({
    summary: `Amazon IVS ${subject} ${field.fromPath('$.detail.event_name')} at ${field.time} in ${field.account}/${field.region}`,
    ...resources,
    detail: field.fromPath('$.detail'),
    eventId: field.eventId,
  });
}
