import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { jsonParameter } from './integ';

/** What the assertion provider's function does with a parameter: JSON.parse, or the raw text when that fails. */
function decodeAsTheProviderDoes(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A template value with each intrinsic (Ref, Fn::ImportValue...) replaced by `fake`, as CloudFormation would. */
function substitute(value: unknown, fake: string): string {
  if (typeof value === 'string') {
    return value;
  }
  const join = (value as Record<string, [string, unknown[]]>)['Fn::Join'];
  return join ? join[1].map(part => substitute(part, fake)).join(join[0]) : fake;
}

describe('jsonParameter', () => {
  test('reaches the API as the JSON text of the value, with the deployment\'s values, quotes and all', () => {
    // GIVEN
    const app = new App();
    const tested = new Stack(app, 'Tested');
    const queue = new sqs.Queue(tested, 'Queue');
    const integ = new IntegTest(app, 'Integ', { testCases: [tested] });
    const event = { 'detail-type': 'IVS Stage Update', 'detail': { user_id: 'said "hi"\\' }, 'account': Aws.ACCOUNT_ID, 'resources': [queue.queueArn] };

    // WHEN
    integ.assertions.awsApiCall('SQS', 'sendMessage', { QueueUrl: queue.queueUrl, MessageBody: jsonParameter(tested, event) });

    // THEN
    const assertions = Template.fromStack(app.node.findAll().find(c => Stack.isStack(c) && c !== tested) as Stack);
    const [call] = Object.values(assertions.findResources('Custom::DeployAssert@SdkCallSQSsendMessage'));
    const body = decodeAsTheProviderDoes(substitute(call.Properties.parameters.MessageBody, 'X'));
    expect(typeof body).toEqual('string');
    expect(JSON.parse(body as string)).toEqual({ ...event, account: 'X', resources: ['X'] });
  });
});
