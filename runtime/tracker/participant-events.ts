// What IVS says a participant did last, from its own event history (ListParticipantEvents), with
// times finer than a second: the reconciler's evidence for repairs and for same-second ties.
// The Lambda runtime provides AWS SDK v3; the library itself never loads this module.
import { IVSRealTimeClient, ListParticipantEventsCommand } from '@aws-sdk/client-ivs-realtime';
import { Call } from './cursor';
import { PUBLISH_STATES } from './state-model';

/** The ListParticipantEvents names that set a participant's publish state (RealTimeAPIReference, Event.name). */
const PUBLISH_EVENT_STATES: Record<string, string> = {
  PUBLISH_STARTED: 'PUBLISHED',
  PUBLISH_STOPPED: 'UNPUBLISHED',
  PUBLISH_ERROR: 'PUBLISH_ERROR',
  LEFT: 'UNPUBLISHED',
};

/** The latest publish-state event of a participant; undefined when it has none. */
export async function latestPublishEvent(ivs: IVSRealTimeClient, stageArn: string, sessionId: string, participantId: string, call: Call)
  : Promise<{ state: string; time: number } | undefined> {
  let latest: { state: string; time: number; rank: number } | undefined;
  let nextToken: string | undefined;
  do {
    const request = { stageArn, sessionId, participantId, nextToken, maxResults: 100 };
    const page = await call(() => ivs.send(new ListParticipantEventsCommand(request)));
    for (const event of page.events ?? []) {
      const state = PUBLISH_EVENT_STATES[event.name ?? ''];
      const time = event.eventTime?.getTime();
      const rank = PUBLISH_STATES.indexOf(state as typeof PUBLISH_STATES[number]);
      if (state && time !== undefined && (!latest || time > latest.time || (time === latest.time && rank > latest.rank))) {
        latest = { state, time, rank };
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return latest;
}

