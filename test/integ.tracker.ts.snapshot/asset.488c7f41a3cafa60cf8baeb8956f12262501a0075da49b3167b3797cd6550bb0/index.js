"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key2 of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key2) && key2 !== except)
        __defProp(to, key2, { get: () => from[key2], enumerable: !(desc = __getOwnPropDesc(from, key2)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// runtime/tracker/index.ts
var index_exports = {};
__export(index_exports, {
  handler: () => handler,
  reconcileHandler: () => reconcileHandler
});
module.exports = __toCommonJS(index_exports);
var import_client_dynamodb5 = require("@aws-sdk/client-dynamodb");
var import_client_ivs_realtime4 = require("@aws-sdk/client-ivs-realtime");

// runtime/tracker/apply-change.ts
var import_crypto = require("crypto");
var import_client_dynamodb = require("@aws-sdk/client-dynamodb");

// src/tracker/table-keys.ts
var STAGE_SK = "STAGE";
var METRICS_NAMESPACE = "CdkIvsRealtimeEvents/Tracker";
var ACTIVE_INDEX = { name: "activeParticipants", partitionKey: "activeStage", projected: ["publishState", "publishTime", "publishRank", "publishTie"] };
var STAGE_ARN = /^arn:aws[a-z-]*:ivs:[a-z0-9-]+:[^:]+:stage\/[a-zA-Z0-9-]+$/;
var RECONCILER_PK = "cdk-ivs-realtime-events#reconciler";
var STAGE_LIST_SK = "STAGES";
var CURSOR_SK = "CURSOR";
var REPEATED_FAILURES = 3;
var RECONCILER_METRICS = ["Repairs", "TiesConfirmed", "CountsCorrected", "Failures", "StagesFailingRepeatedly"];
function compositionSk(compositionArn) {
  return `COMPOSITION#${compositionArn}`;
}
var DESTINATION_SK_FORMAT = "COMPOSITION#{}#DESTINATION#{}";
function destinationSk(compositionArn, destinationId) {
  return DESTINATION_SK_FORMAT.replace("{}", compositionArn).replace("{}", destinationId);
}

// runtime/tracker/state-model.ts
var PUBLISH_STATES = ["PUBLISHED", "PUBLISH_ERROR", "UNPUBLISHED"];
var RECORDING_STATES = ["STARTED", "START_FAILED", "ENDED", "END_FAILED"];
var COMPOSITION_STATES = ["STARTED", "ENDED", "FAILED"];
var DESTINATION_STATES = ["STARTED", "RECONNECTING", "ENDED", "FAILED"];
var STATE_ATTRIBUTES = {
  publish: ["repairedAt"],
  recording: ["recordingBucket", "recordingPrefix", "recordingDurationMs"],
  composition: ["reason"],
  // Not the recording prefix and bucket IvsAutoComposition keeps (DESTINATION_RECORDING_ATTRIBUTES):
  // no Destination event carries them, so a new state would erase what only StartComposition answered.
  destination: ["reason"]
};
var ORDER = {
  publish: PUBLISH_STATES,
  recording: RECORDING_STATES,
  composition: COMPOSITION_STATES,
  destination: DESTINATION_STATES
};
var TRANSITIONS = {
  "IVS Stage Update": {
    "Participant Published": ["publish", "PUBLISHED"],
    "Participant Unpublished": ["publish", "UNPUBLISHED"],
    "Participant Publish Error": ["publish", "PUBLISH_ERROR"]
  },
  "IVS Participant Recording State Change": {
    "Recording Start": ["recording", "STARTED"],
    "Recording Start Failure": ["recording", "START_FAILED"],
    "Recording End": ["recording", "ENDED"],
    "Recording End Failure": ["recording", "END_FAILED"]
  },
  "IVS Composition State Change": {
    "Session Start": ["composition", "STARTED"],
    "Session End": ["composition", "ENDED"],
    "Session Failure": ["composition", "FAILED"],
    "Destination Start": ["destination", "STARTED"],
    "Destination Reconnecting": ["destination", "RECONNECTING"],
    "Destination End": ["destination", "ENDED"],
    "Destination Failure": ["destination", "FAILED"]
  }
};
function supersedes(candidate, current) {
  return current === void 0 || candidate.time > current.time || candidate.time === current.time && candidate.rank > current.rank;
}
function readEvent(event) {
  const transition = TRANSITIONS[event["detail-type"]]?.[String(event.detail?.event_name)];
  if (!transition) {
    return {};
  }
  const given = event.detail.event_time;
  const eventTime = typeof given === "string" ? Date.parse(given) : NaN;
  const warning = given !== void 0 && Number.isNaN(eventTime) ? `event_time ${JSON.stringify(given)} is not a time: the envelope's time is used` : void 0;
  const time = Number.isNaN(eventTime) ? Date.parse(event.time) : eventTime;
  if (Number.isNaN(time)) {
    return { refused: `neither event_time nor time is a time (${JSON.stringify(event.time)})` };
  }
  if (!Array.isArray(event.resources)) {
    return { refused: `resources is not a list (${JSON.stringify(event.resources)})` };
  }
  const [kind, state] = transition;
  const detail = event.detail;
  const stamp = { time, rank: ORDER[kind].indexOf(state) };
  const text = (key2) => typeof detail[key2] === "string" ? detail[key2] : void 0;
  const stageArn = kind === "publish" || kind === "recording" ? event.resources[0] : text("stage_arn");
  if (stageArn !== void 0 && !STAGE_ARN.test(String(stageArn))) {
    return { refused: `the stage ${JSON.stringify(stageArn)} is not an IVS stage ARN` };
  }
  return { change: changeFor(event, kind, state, stamp, text), warning };
}
function changeFor(event, kind, state, stamp, text) {
  const detail = event.detail;
  if (kind === "publish" || kind === "recording") {
    const [stageArn2] = event.resources;
    const sessionId = text("session_id");
    const participantId = text("participant_id");
    if (!stageArn2 || !sessionId || !participantId) {
      return void 0;
    }
    const attributes2 = { sessionId, participantId };
    const optional = kind === "publish" ? [["userId", "user_id"]] : [["recordingBucket", "recording_s3_bucket_name"], ["recordingPrefix", "recording_s3_key_prefix"]];
    for (const [name, key2] of optional) {
      if (text(key2) !== void 0) {
        attributes2[name] = text(key2);
      }
    }
    if (kind === "recording" && typeof detail.recording_duration_ms === "number") {
      attributes2.recordingDurationMs = detail.recording_duration_ms;
    }
    return { pk: stageArn2, sk: participantKey(sessionId, participantId), kind, state, stamp, eventId: event.id, attributes: attributes2 };
  }
  const stageArn = text("stage_arn");
  const [compositionArn] = event.resources;
  const destinationId = text("id");
  if (!stageArn || !compositionArn || kind === "destination" && !destinationId) {
    return void 0;
  }
  const sk = kind === "composition" ? compositionSk(compositionArn) : destinationSk(compositionArn, destinationId);
  const attributes = { compositionArn, ...destinationId && kind === "destination" ? { destinationId } : {} };
  if (text("reason") !== void 0) {
    attributes.reason = text("reason");
  }
  return { pk: stageArn, sk, kind, state, stamp, eventId: event.id, attributes };
}
function participantKey(sessionId, participantId) {
  return `PARTICIPANT#${sessionId}#${participantId}`;
}

// runtime/tracker/apply-change.ts
var ACTIVE = ACTIVE_INDEX.partitionKey;
var ATTRIBUTES = {
  publish: { state: "publishState", time: "publishTime", rank: "publishRank", tie: "publishTie" },
  recording: { state: "recordingState", time: "recordingTime", rank: "recordingRank", tie: "recordingTie" },
  composition: { state: "state", time: "stateTime", rank: "stateRank", tie: "stateTie" },
  destination: { state: "state", time: "stateTime", rank: "stateRank", tie: "stateTie" }
};
var FINISHED = /* @__PURE__ */ new Set(["ENDED", "FAILED"]);
var RETRYABLE = /* @__PURE__ */ new Set(["ConditionalCheckFailedException", "TransactionCanceledException", "TransactionConflictException", "TransactionInProgressException"]);
async function applyChange(change, options) {
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyOnce(change, options, attempt);
    } catch (error) {
      if (!RETRYABLE.has(error.name) || attempt >= maxAttempts) {
        throw error;
      }
      await sleep(Math.random() * Math.min(1e3, 20 * 2 ** attempt));
    }
  }
}
async function applyOnce(given, options, attempt) {
  const { client: client2, tableName } = options;
  const names = ATTRIBUTES[given.kind];
  const key2 = { pk: { S: given.pk }, sk: { S: given.sk } };
  const { Item: item } = await client2.send(new import_client_dynamodb.GetItemCommand({ TableName: tableName, Key: key2, ConsistentRead: true }));
  const current = stampOf(item, given.kind);
  const replaces = given.replacesUpTo !== void 0 && current !== void 0 && current.time <= given.replacesUpTo && !supersedes(given.stamp, current) && item?.[names.state]?.S !== given.state;
  const change = replaces ? { ...given, stamp: { ...given.stamp, time: current.time + 1 } } : given;
  const tie = current !== void 0 && change.stamp.time === current.time && change.stamp.rank !== current.rank;
  if (!supersedes(change.stamp, current)) {
    if (!tie || item?.[names.tie]?.N === String(current.time)) {
      return { outcome: "stale" };
    }
    await client2.send(new import_client_dynamodb.UpdateItemCommand({
      TableName: tableName,
      Key: key2,
      UpdateExpression: change.kind === "publish" ? "SET #tie = :tie, #active = :pk" : "SET #tie = :tie",
      ConditionExpression: "#time = :time AND #rank = :rank",
      ExpressionAttributeNames: { "#tie": names.tie, "#time": names.time, "#rank": names.rank, ...change.kind === "publish" ? { "#active": ACTIVE } : {} },
      ExpressionAttributeValues: {
        ":tie": { N: String(current.time) },
        ":time": { N: String(current.time) },
        ":rank": { N: String(current.rank) },
        ...change.kind === "publish" ? { ":pk": { S: change.pk } } : {}
      }
    }));
    return { outcome: "stale", tie: true };
  }
  const values = {
    ":state": { S: change.state },
    ":time": { N: String(change.stamp.time) },
    ":rank": { N: String(change.stamp.rank) }
  };
  const attributeNames = {};
  const ref = (name) => {
    attributeNames[`#${name}`] = name;
    return `#${name}`;
  };
  const sets = [`${ref(names.state)} = :state`, `${ref(names.time)} = :time`, `${ref(names.rank)} = :rank`];
  for (const [name, value] of Object.entries(change.attributes)) {
    values[`:${name}`] = typeof value === "number" ? { N: String(value) } : { S: value };
    sets.push(`${ref(name)} = :${name}`);
  }
  const removes = STATE_ATTRIBUTES[change.kind].filter((name) => change.attributes[name] === void 0 && item?.[name] !== void 0).map(ref);
  if (tie) {
    values[":tie"] = { N: String(change.stamp.time) };
    sets.push(`${ref(names.tie)} = :tie`);
  } else {
    removes.push(ref(names.tie));
  }
  let delta = 0;
  const publishing = change.kind === "publish" ? change.state === "PUBLISHED" : item?.publishState?.S === "PUBLISHED";
  if (change.kind === "publish") {
    delta = Number(publishing) - Number(item?.publishState?.S === "PUBLISHED");
  }
  if (change.kind === "publish" && (publishing || tie)) {
    values[":pk"] = { S: change.pk };
    sets.push(`${ref(ACTIVE)} = :pk`);
  } else if (change.kind === "publish") {
    removes.push(ref(ACTIVE));
  }
  const finished = change.kind === "composition" || change.kind === "destination" ? FINISHED.has(change.state) : !publishing;
  const other = change.kind === "publish" ? stampOf(item, "recording") : change.kind === "recording" ? stampOf(item, "publish") : void 0;
  if (finished) {
    const latest = Math.max(change.stamp.time, other?.time ?? 0);
    values[":expiresAt"] = { N: String(Math.floor(latest / 1e3) + options.retentionSeconds) };
    sets.push(`${ref("expiresAt")} = :expiresAt`);
  } else {
    removes.push(ref("expiresAt"));
  }
  const condition = current === void 0 ? `attribute_not_exists(${ref(names.time)})` : `${ref(names.time)} = :oldTime AND ${ref(names.rank)} = :oldRank`;
  if (current !== void 0) {
    values[":oldTime"] = { N: String(current.time) };
    values[":oldRank"] = { N: String(current.rank) };
  }
  const otherKind = change.kind === "recording" || change.kind === "publish" && finished ? ATTRIBUTES[change.kind === "recording" ? "publish" : "recording"] : void 0;
  const publishCondition = otherKind === void 0 ? "" : other === void 0 ? ` AND attribute_not_exists(${ref(otherKind.time)})` : ` AND ${ref(otherKind.time)} = :readOtherTime AND ${ref(otherKind.rank)} = :readOtherRank`;
  if (otherKind !== void 0 && other !== void 0) {
    values[":readOtherTime"] = { N: String(other.time) };
    values[":readOtherRank"] = { N: String(other.rank) };
  }
  const update = {
    TableName: tableName,
    Key: key2,
    UpdateExpression: `SET ${sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`,
    ConditionExpression: `${condition}${publishCondition}`,
    ExpressionAttributeNames: attributeNames,
    ExpressionAttributeValues: values
  };
  if (delta === 0) {
    await client2.send(new import_client_dynamodb.UpdateItemCommand(update));
    return { outcome: "applied", ...tie ? { tie } : {} };
  }
  const stageKey = { pk: { S: change.pk }, sk: { S: STAGE_SK } };
  try {
    await client2.send(new import_client_dynamodb.TransactWriteItemsCommand({
      TransactItems: [
        { Update: update },
        {
          Update: {
            TableName: tableName,
            Key: stageKey,
            // `version` counts the changes of count: an idle grace period confirms that the
            // stage is still idle from the same transition, not idle again from a later one.
            UpdateExpression: "ADD #publishers :delta, #version :one",
            // Never below 0: a participant leaving needs a count to leave.
            ...delta < 0 ? { ConditionExpression: "#publishers >= :one" } : {},
            ExpressionAttributeNames: { "#publishers": "publishers", "#version": "version" },
            ExpressionAttributeValues: { ":delta": { N: String(delta) }, ":one": { N: "1" } }
          }
        }
      ],
      // Idempotent for 10 minutes (TransactWriteItems, ClientRequestToken): the SDK's own retries
      // of this request repeat it; each attempt here, after a fresh read, is a request of its own.
      ClientRequestToken: (0, import_crypto.createHash)("sha256").update(`${change.eventId}|${change.sk}|${current?.time}|${current?.rank}|${attempt}`).digest("hex").slice(0, 36)
    }));
  } catch (error) {
    const reasons = error.CancellationReasons;
    if (reasons?.[0]?.Code === "None" && reasons?.[1]?.Code === "ConditionalCheckFailed") {
      throw new Error(`stage ${change.pk}: publishers would go below 0 (participant ${change.sk} leaves a count of 0)`);
    }
    throw error;
  }
  return { outcome: "applied", publishersChange: delta, ...tie ? { tie } : {} };
}
function stampOf(item, kind) {
  const names = ATTRIBUTES[kind];
  const time = item?.[names.time]?.N;
  return time === void 0 ? void 0 : { time: Number(time), rank: Number(item?.[names.rank]?.N ?? 0) };
}
async function clearTie(client2, tableName, pk, sk, kind, stamp, state) {
  const names = ATTRIBUTES[kind];
  try {
    await client2.send(new import_client_dynamodb.UpdateItemCommand({
      TableName: tableName,
      Key: { pk: { S: pk }, sk: { S: sk } },
      // Out of the sparse index too, unless it publishes (then the index keeps it for that).
      UpdateExpression: kind === "publish" && state !== "PUBLISHED" ? "REMOVE #tie, #active" : "REMOVE #tie",
      ConditionExpression: "#time = :time AND #rank = :rank",
      ExpressionAttributeNames: {
        "#tie": names.tie,
        "#time": names.time,
        "#rank": names.rank,
        ...kind === "publish" && state !== "PUBLISHED" ? { "#active": ACTIVE } : {}
      },
      ExpressionAttributeValues: { ":time": { N: String(stamp.time) }, ":rank": { N: String(stamp.rank) } }
    }));
    return true;
  } catch (error) {
    if (error.name === "ConditionalCheckFailedException") {
      return false;
    }
    throw error;
  }
}

// runtime/tracker/cursor.ts
var import_client_dynamodb2 = require("@aws-sdk/client-dynamodb");
var import_client_ivs_realtime = require("@aws-sdk/client-ivs-realtime");
var key = (sk) => ({ pk: { S: RECONCILER_PK }, sk: { S: sk } });
async function readCursor(client2, tableName) {
  const { Item: item } = await client2.send(new import_client_dynamodb2.GetItemCommand({ TableName: tableName, Key: key(CURSOR_SK), ConsistentRead: true }));
  return {
    after: item?.after?.S,
    token: item?.token?.S,
    lap: Number(item?.lap?.N ?? 0),
    failing: JSON.parse(item?.failing?.S ?? "{}")
  };
}
async function writeCursor(client2, tableName, cursor) {
  await client2.send(new import_client_dynamodb2.PutItemCommand({
    TableName: tableName,
    Item: {
      ...key(CURSOR_SK),
      lap: { N: String(cursor.lap) },
      failing: { S: JSON.stringify(cursor.failing) },
      ...cursor.after ? { after: { S: cursor.after } } : {},
      ...cursor.token ? { token: { S: cursor.token } } : {}
    }
  }));
}
async function readStageList(client2, tableName) {
  const { Item: item } = await client2.send(new import_client_dynamodb2.GetItemCommand({ TableName: tableName, Key: key(STAGE_LIST_SK), ConsistentRead: true }));
  return item?.stageArns?.L?.map((value) => value.S);
}
async function writeStageList(client2, tableName, stageArns) {
  const sorted = [...new Set(stageArns)].sort();
  await client2.send(new import_client_dynamodb2.PutItemCommand({ TableName: tableName, Item: { ...key(STAGE_LIST_SK), stageArns: { L: sorted.map((S) => ({ S })) } } }));
}
function* listedStages(stageArns, cursor) {
  const sorted = [...new Set(stageArns)].sort();
  const from = cursor.after === void 0 ? 0 : Math.max(0, sorted.findIndex((arn) => arn > cursor.after));
  for (let i = 0; i < sorted.length; i++) {
    const index = (from + i) % sorted.length;
    yield { stageArn: sorted[index], lapStart: index === 0 };
  }
}
async function* listedByIvs(ivs2, cursor, call) {
  let token = cursor.token;
  let after = cursor.after;
  const fromStart = token === void 0 && after === void 0;
  let wraps = 0;
  while (wraps < (fromStart ? 1 : 2)) {
    let page;
    try {
      page = await call(() => ivs2.send(new import_client_ivs_realtime.ListStagesCommand({ nextToken: token, maxResults: 100 })));
    } catch (error) {
      if (error.name !== "ValidationException" || token === void 0) {
        throw error;
      }
      [token, after] = [void 0, void 0];
      continue;
    }
    const arns = (page.stages ?? []).map((stage) => stage.arn).filter(Boolean);
    for (let i = after === void 0 ? 0 : arns.indexOf(after) + 1; i < arns.length; i++) {
      yield { stageArn: arns[i], token, lapStart: token === void 0 && i === 0 };
    }
    after = void 0;
    token = page.nextToken;
    wraps += token === void 0 ? 1 : 0;
  }
}

// runtime/tracker/reconcile.ts
var import_client_ivs_realtime3 = require("@aws-sdk/client-ivs-realtime");

// runtime/tracker/active-participants.ts
var import_client_dynamodb3 = require("@aws-sdk/client-dynamodb");
async function publishingItems(stageArn, options) {
  const held = /* @__PURE__ */ new Map();
  let startKey;
  do {
    const page = await options.dynamodb.send(new import_client_dynamodb3.QueryCommand({
      TableName: options.tableName,
      IndexName: ACTIVE_INDEX.name,
      KeyConditionExpression: "#active = :pk",
      ExpressionAttributeNames: { "#active": ACTIVE_INDEX.partitionKey },
      ExpressionAttributeValues: { ":pk": { S: stageArn } },
      ExclusiveStartKey: startKey
    }));
    for (const item of page.Items ?? []) {
      held.set(item.sk.S, {
        state: item.publishState?.S ?? "",
        time: Number(item.publishTime?.N ?? 0),
        rank: Number(item.publishRank?.N ?? 0),
        // A mark of an older time is stale: a later event decided by time alone.
        tie: item.publishTie?.N !== void 0 && item.publishTie.N === item.publishTime?.N
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return held;
}

// runtime/tracker/participant-events.ts
var import_client_ivs_realtime2 = require("@aws-sdk/client-ivs-realtime");
var PUBLISH_EVENT_STATES = {
  PUBLISH_STARTED: "PUBLISHED",
  PUBLISH_STOPPED: "UNPUBLISHED",
  PUBLISH_ERROR: "PUBLISH_ERROR",
  LEFT: "UNPUBLISHED"
};
async function latestPublishEvent(ivs2, stageArn, sessionId, participantId, call) {
  let latest;
  let nextToken;
  do {
    const request = { stageArn, sessionId, participantId, nextToken, maxResults: 100 };
    const page = await call(() => ivs2.send(new import_client_ivs_realtime2.ListParticipantEventsCommand(request)));
    for (const event of page.events ?? []) {
      const state = PUBLISH_EVENT_STATES[event.name ?? ""];
      const time = event.eventTime?.getTime();
      const rank = PUBLISH_STATES.indexOf(state);
      if (state && time !== void 0 && (!latest || time > latest.time || time === latest.time && rank > latest.rank)) {
        latest = { state, time, rank };
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return latest;
}

// runtime/tracker/recount.ts
var import_client_dynamodb4 = require("@aws-sdk/client-dynamodb");
async function recountStage(client2, tableName, stageArn, indexed) {
  const key2 = { pk: { S: stageArn }, sk: { S: STAGE_SK } };
  const { Item: stage } = await client2.send(new import_client_dynamodb4.GetItemCommand({ TableName: tableName, Key: key2, ConsistentRead: true }));
  const held = Number(stage?.publishers?.N ?? 0);
  if (held === indexed) {
    return void 0;
  }
  const counted = await countPublishing(client2, tableName, stageArn);
  if (counted === held) {
    return void 0;
  }
  try {
    await client2.send(new import_client_dynamodb4.UpdateItemCommand({
      TableName: tableName,
      Key: key2,
      // Like any change of count: `version` grows, and the activity pipes see the crossing of 0.
      UpdateExpression: "SET #publishers = :counted ADD #version :one",
      // Every change of count moves `publishers`: a handler that changed it since the read wins.
      ConditionExpression: stage === void 0 ? "attribute_not_exists(#publishers)" : "#publishers = :held",
      ExpressionAttributeNames: { "#publishers": "publishers", "#version": "version" },
      ExpressionAttributeValues: {
        ":counted": { N: String(counted) },
        ":one": { N: "1" },
        ...stage === void 0 ? {} : { ":held": { N: String(held) } }
      }
    }));
  } catch (error) {
    if (error.name === "ConditionalCheckFailedException") {
      return void 0;
    }
    throw error;
  }
  return { from: held, to: counted };
}
async function countPublishing(client2, tableName, stageArn) {
  let count = 0;
  let startKey;
  do {
    const page = await client2.send(new import_client_dynamodb4.QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :participant)",
      FilterExpression: "publishState = :published",
      ExpressionAttributeValues: { ":pk": { S: stageArn }, ":participant": { S: "PARTICIPANT#" }, ":published": { S: "PUBLISHED" } },
      Select: "COUNT",
      ConsistentRead: true,
      ExclusiveStartKey: startKey
    }));
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

// runtime/tracker/reconcile.ts
var BudgetSpent = class extends Error {
  name = "BudgetSpent";
};
async function reconcile(options) {
  let apiCalls = 0;
  let firstDone = false;
  const call = async (send) => {
    if (firstDone && apiCalls >= options.maxApiCalls) {
      throw new BudgetSpent("the run's API budget is spent");
    }
    apiCalls++;
    return send();
  };
  const cursor = await readCursor(options.dynamodb, options.tableName);
  const stages = options.stageArns.length > 0 ? listedStages(options.stageArns, cursor) : listedByIvs(options.ivs, cursor, call);
  const totals = { repairs: 0, failures: 0, tiesConfirmed: 0, countsCorrected: 0 };
  const failing = { ...cursor.failing };
  let { lap, after, token } = cursor;
  const checked = /* @__PURE__ */ new Set();
  let known = new Set(options.stageArns).size;
  try {
    for await (const next of stages) {
      if (checked.has(next.stageArn)) {
        break;
      }
      known += options.stageArns.length > 0 ? 0 : 1;
      if (firstDone && (apiCalls >= options.maxApiCalls || (options.remainingMs?.() ?? Infinity) < 6e4)) {
        break;
      }
      lap += next.lapStart ? 1 : 0;
      try {
        const stage = await checkStage(next.stageArn, options, call);
        totals.repairs += stage.repairs;
        totals.tiesConfirmed += stage.tiesConfirmed;
        totals.countsCorrected += stage.countsCorrected;
        delete failing[next.stageArn];
      } catch (error) {
        if (error instanceof BudgetSpent) {
          lap -= next.lapStart ? 1 : 0;
          break;
        }
        totals.failures++;
        failing[next.stageArn] = { count: (failing[next.stageArn]?.count ?? 0) + 1, lap };
        console.error(JSON.stringify({
          stageArn: next.stageArn,
          error: error.name,
          message: error.message,
          consecutiveFailures: failing[next.stageArn].count
        }));
      }
      checked.add(next.stageArn);
      [after, token, firstDone] = [next.stageArn, next.token, true];
    }
  } catch (error) {
    if (!(error instanceof BudgetSpent)) {
      throw error;
    }
  }
  for (const [arn, { lap: failedIn }] of Object.entries(failing)) {
    if (failedIn < lap - 1) {
      delete failing[arn];
    }
  }
  await writeCursor(options.dynamodb, options.tableName, { after, token, lap, failing });
  return {
    ...totals,
    apiCalls,
    stagesLeft: Math.max(0, known - checked.size),
    stagesFailingRepeatedly: Object.values(failing).filter((f) => f.count >= REPEATED_FAILURES).length
  };
}
async function checkStage(stageArn, options, call) {
  const found = await correctionsOf(stageArn, options, call);
  let repairs = 0;
  let indexed = found.publishing;
  for (const change of found.corrections) {
    const writeOptions = { client: options.dynamodb, tableName: options.tableName, retentionSeconds: options.retentionSeconds };
    const result = await applyChange(change, writeOptions);
    repairs += result.outcome === "applied" && !found.tied.has(change.sk) ? 1 : 0;
    indexed += result.publishersChange ?? 0;
  }
  const recount = await recountStage(options.dynamodb, options.tableName, stageArn, indexed);
  if (recount) {
    console.warn(JSON.stringify({ stageArn, publishers: recount, reason: "the count disagreed with the stage's publishing participants" }));
  }
  for (const { sk, stamp, state } of found.confirmed) {
    await clearTie(options.dynamodb, options.tableName, stageArn, sk, "publish", stamp, state);
  }
  return { repairs, tiesConfirmed: found.ties, countsCorrected: recount ? 1 : 0 };
}
async function correctionsOf(stageArn, options, call) {
  const stage = await call(() => options.ivs.send(new import_client_ivs_realtime3.GetStageCommand({ arn: stageArn })));
  const asked = /* @__PURE__ */ new Map();
  const latestOf = (session, participant) => {
    const key2 = `${session}#${participant}`;
    if (!asked.has(key2)) {
      asked.set(key2, latestPublishEvent(options.ivs, stageArn, session, participant, call));
    }
    return asked.get(key2);
  };
  const sessionId = stage.stage?.activeSessionId;
  const truth = /* @__PURE__ */ new Map();
  if (sessionId) {
    let nextToken;
    do {
      const request = { stageArn, sessionId, filterByPublished: true, nextToken, maxResults: 100 };
      const page = await call(() => options.ivs.send(new import_client_ivs_realtime3.ListParticipantsCommand(request)));
      for (const participant of page.participants ?? []) {
        const latest = await latestOf(sessionId, participant.participantId);
        if (latest) {
          truth.set(
            participantKey(sessionId, participant.participantId),
            repair(stageArn, sessionId, participant.participantId, latest.state, latest.time, participant.userId, options.now, true)
          );
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  const held = await publishingItems(stageArn, options);
  const corrections = [...truth.values()].filter((change) => held.get(change.sk)?.state !== change.state && (change.state === "PUBLISHED" || held.has(change.sk)));
  for (const [sk, { state, time }] of held) {
    if (state !== "PUBLISHED" || truth.has(sk)) {
      continue;
    }
    const [, session, participant] = sk.split("#");
    if (session === sessionId) {
      const latest = await latestOf(session, participant);
      if (latest && latest.state !== "PUBLISHED") {
        corrections.push(repair(stageArn, session, participant, latest.state, latest.time, void 0, options.now, true));
      }
      continue;
    }
    corrections.push(repair(stageArn, session, participant, "UNPUBLISHED", time + 1, void 0, options.now));
  }
  const confirmed = [];
  let ties = 0;
  for (const [sk, { state, time, rank, tie }] of held) {
    if (!tie) {
      continue;
    }
    ties++;
    const pending = corrections.findIndex((c) => c.sk === sk);
    if (pending >= 0) {
      const change = corrections[pending];
      corrections[pending] = { ...change, stamp: { ...change.stamp, time: Math.max(change.stamp.time, time + 1) } };
      continue;
    }
    const [, session, participant] = sk.split("#");
    const latest = truth.has(sk) ? void 0 : await latestOf(session, participant);
    if (latest === void 0 || latest.state === state) {
      confirmed.push({ sk, stamp: { time, rank }, state });
    } else {
      corrections.push(repair(stageArn, session, participant, latest.state, Math.max(latest.time, time + 1), void 0, options.now));
    }
  }
  return {
    corrections,
    confirmed,
    ties,
    publishing: [...held.values()].filter((h) => h.state === "PUBLISHED").length,
    tied: new Set([...held].filter(([, h]) => h.tie).map(([sk]) => sk))
  };
}
function repair(stageArn, sessionId, participantId, state, time, userId, now, live = false) {
  return {
    // IVS says what a participant of the live session does now: a state the table stamped later
    // than IVS's own time (an envelope time, which need not be the event's) but before this run
    // asked is replaced all the same, as the ended-session path closes whatever the table held.
    // Only towards not publishing: the table's PUBLISHED came from an event IVS already lists.
    ...live && state !== "PUBLISHED" ? { replacesUpTo: now.getTime() } : {},
    pk: stageArn,
    sk: participantKey(sessionId, participantId),
    kind: "publish",
    state,
    stamp: { time, rank: PUBLISH_STATES.indexOf(state) },
    // One id per run: a repair is a new request, never a replay of an earlier one.
    eventId: `repair-${sessionId}-${participantId}-${state}-${time}-${now.getTime()}`,
    attributes: { sessionId, participantId, repairedAt: now.toISOString(), ...userId ? { userId } : {} }
  };
}

// runtime/tracker/stage-list-resource.ts
function isCustomResourceRequest(event) {
  return typeof event === "object" && event !== null && "RequestType" in event && "ResponseURL" in event;
}
var PHYSICAL_ID = "tracked-stages";
async function handleStageListRequest(request, client2, tableName) {
  let failure;
  try {
    if (request.RequestType !== "Delete") {
      await writeStageList(client2, tableName, request.ResourceProperties.StageArns ?? []);
    }
  } catch (error) {
    failure = `${error.name}: ${error.message}`;
    console.error(JSON.stringify({ requestType: request.RequestType, error: failure }));
  }
  const response = await fetch(request.ResponseURL, {
    method: "PUT",
    // The URL is signed for an empty content type.
    headers: { "content-type": "" },
    body: JSON.stringify({
      Status: failure ? "FAILED" : "SUCCESS",
      Reason: failure ?? "the stage list is in the table",
      PhysicalResourceId: request.PhysicalResourceId ?? PHYSICAL_ID,
      StackId: request.StackId,
      RequestId: request.RequestId,
      LogicalResourceId: request.LogicalResourceId
    })
  });
  if (!response.ok) {
    throw new Error(`CloudFormation's response URL answered ${response.status}`);
  }
}

// runtime/tracker/index.ts
var DEFAULT_RETENTION_SECONDS = 7 * 24 * 3600;
var client;
var ivs;
async function handler(batch) {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) {
    throw new Error("TABLE_NAME is not set");
  }
  client ??= new import_client_dynamodb5.DynamoDBClient({});
  const retentionSeconds = Number(process.env.RETENTION_SECONDS ?? DEFAULT_RETENTION_SECONDS);
  const batchItemFailures = [];
  for (const record of batch.Records) {
    try {
      const event = JSON.parse(record.body);
      if (event.source !== "aws.ivs" || process.env.ACCOUNT_ID && event.account !== process.env.ACCOUNT_ID) {
        console.warn(JSON.stringify({ messageId: record.messageId, ignored: "not an IVS event of this account", source: event.source, account: event.account }));
        continue;
      }
      const { change, refused, warning } = readEvent(event);
      if (refused || warning) {
        console.warn(JSON.stringify({ messageId: record.messageId, ...refused ? { refused } : { warning } }));
      }
      if (change) {
        await applyChange(change, { client, tableName, retentionSeconds });
      }
    } catch (error) {
      console.error(JSON.stringify({ messageId: record.messageId, error: error.name, message: error.message }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
async function reconcileHandler(event, context) {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) {
    throw new Error("TABLE_NAME is not set");
  }
  client ??= new import_client_dynamodb5.DynamoDBClient({});
  if (isCustomResourceRequest(event)) {
    return handleStageListRequest(event, client, tableName);
  }
  ivs ??= new import_client_ivs_realtime4.IVSRealTimeClient({});
  const stageArns = process.env.STAGES_FROM === "table" ? await readStageList(client, tableName) : [];
  if (stageArns === void 0) {
    throw new Error(`the stage list is not in ${tableName}: it is written when the stack is deployed (Custom::IvsTrackedStages)`);
  }
  const time = typeof event?.time === "string" ? new Date(event.time) : /* @__PURE__ */ new Date();
  const result = await reconcile({
    ivs,
    dynamodb: client,
    tableName,
    stageArns,
    maxApiCalls: Number(process.env.MAX_API_CALLS ?? 500),
    retentionSeconds: Number(process.env.RETENTION_SECONDS ?? DEFAULT_RETENTION_SECONDS),
    now: Number.isNaN(time.getTime()) ? /* @__PURE__ */ new Date() : time,
    remainingMs: context ? () => context.getRemainingTimeInMillis() : void 0
  });
  console.log(JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{
        Namespace: METRICS_NAMESPACE,
        Dimensions: [["TableName"]],
        Metrics: RECONCILER_METRICS.map((Name) => ({ Name, Unit: "Count" }))
      }]
    },
    TableName: tableName,
    Repairs: result.repairs,
    ApiCalls: result.apiCalls,
    StagesLeft: result.stagesLeft,
    Failures: result.failures,
    StagesFailingRepeatedly: result.stagesFailingRepeatedly,
    TiesConfirmed: result.tiesConfirmed,
    CountsCorrected: result.countsCorrected
  }));
  return result;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  handler,
  reconcileHandler
});
