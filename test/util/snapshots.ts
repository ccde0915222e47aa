import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { deploymentProblems } from './deployment-checks';
import { testStack } from './stack';

/**
 * The snapshot tests every construct has: its default and its fully configured template, each
 * compared with its snapshot and checked as AWS would deploy it (metrics that exist, every quota kept).
 */
export function describeSnapshots(build: { readonly default: (stack: Stack) => void; readonly fullyConfigured: (stack: Stack) => void }): void {
  describe('snapshots', () => {
    test.each([
      ['default', build.default],
      ['fully configured', build.fullyConfigured],
    ])('%s', (_name, construct) => {
      // GIVEN
      const stack = testStack();
      // WHEN
      construct(stack);
      // THEN
      expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
      expect(deploymentProblems(stack)).toEqual([]);
    });
  });
}
