import { App, Stack } from 'aws-cdk-lib';

/** A fresh app and stack in a concrete environment, for tests that need account and region. */
export function testStack(id = 'Stack'): Stack {
  return new Stack(new App(), id, { env: { account: '123456789012', region: 'us-east-1' } });
}
