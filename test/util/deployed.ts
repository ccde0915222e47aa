import { Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/**
 * A synthesized template read the way CloudFormation will deploy it: every `Ref` and
 * `Fn::GetAtt` of the resource types this library creates resolves to what CloudFormation
 * really returns (not what its documentation says where the two differ), and the intrinsic
 * functions are evaluated, so a test can check the values AWS will see.
 *
 * Physical names CloudFormation generates are `<stack>-<logicalId>-GENERATED`, which is
 * their shape (a random suffix) and leaves them recognizable.
 */
export class DeployedTemplate {
  public static of(stack: Stack): DeployedTemplate {
    const account = Token.isUnresolved(stack.account) ? '123456789012' : stack.account;
    const region = Token.isUnresolved(stack.region) ? 'us-east-1' : stack.region;
    return new DeployedTemplate(Template.fromStack(stack).toJSON(), stack.stackName, account, region);
  }

  public readonly resources: Record<string, any>;
  private readonly conditions: Record<string, any>;

  constructor(template: any, public readonly stackName: string, public readonly account: string, public readonly region: string) {
    this.resources = template.Resources ?? {};
    this.conditions = template.Conditions ?? {};
  }

  /** Every resource of `type`, with its properties resolved. */
  public ofType(type: string): { id: string; props: any }[] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, props: this.resolve(r.Properties ?? {}) }));
  }

  /** Evaluates the intrinsic functions in `value`. */
  public resolve(value: any): any {
    if (Array.isArray(value)) {
      return value.map(v => this.resolve(v));
    }
    if (!value || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = value[fn];
      switch (fn) {
        case 'Ref': return this.ref(arg);
        case 'Fn::GetAtt': return this.getAtt(arg[0], arg[1]);
        case 'Fn::Join': return this.resolve(arg[1]).join(arg[0]);
        case 'Fn::Split': return String(this.resolve(arg[1])).split(arg[0]);
        case 'Fn::Select': {
          const list = this.resolve(arg[1]);
          const index = Number(this.resolve(arg[0]));
          if (!Array.isArray(list) || index >= list.length) {
            throw new Error(`Fn::Select ${index} of ${JSON.stringify(list)} fails to deploy`);
          }
          return list[index];
        }
        case 'Fn::If': return this.resolve(this.condition(arg[0]) ? arg[1] : arg[2]);
        case 'Fn::Sub': return this.sub(arg);
        case 'Fn::ImportValue': return `<import ${this.resolve(arg)}>`;
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  /** The physical name of a resource: the one its properties give, or CloudFormation's generated one. */
  public physicalName(logicalId: string, nameProperty: string): string {
    const given = this.resources[logicalId]?.Properties?.[nameProperty];
    return given === undefined ? `${this.stackName}-${logicalId}-GENERATED`.slice(-64) : String(this.resolve(given));
  }

  /**
   * What `Ref` returns, per resource type. Sources: the CloudFormation resource reference
   * ("Return values") of each type, except AWS::Events::Rule on a custom bus, where
   * CloudFormation returns `<bus name>|<rule name>` (cloudformation-coverage-roadmap issue
   * 1131) although the documentation says "the rule ID".
   */
  public ref(logicalId: string): string {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': this.account,
      'AWS::Region': this.region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.stackName,
      // The stack's ARN, ending in a UUID CloudFormation draws when it creates the stack
      // (AWS::StackId, "Pseudo parameters reference"); this one is fixed, for repeatable checks.
      'AWS::StackId': `arn:aws:cloudformation:${this.region}:${this.account}:stack/${this.stackName}/51af3dc0-da77-11e4-872e-1234567db123`,
      'AWS::NoValue': '',
    };
    if (logicalId in pseudo) {
      return pseudo[logicalId];
    }
    const resource = this.resources[logicalId];
    if (!resource) {
      // Parameters (asset locations) have no value offline.
      return `<parameter ${logicalId}>`;
    }
    switch (resource.Type) {
      case 'AWS::Events::Rule': {
        const name = this.physicalName(logicalId, 'Name');
        const bus = this.ruleBus(logicalId);
        return bus === 'default' ? name : `${bus}|${name}`;
      }
      case 'AWS::SQS::Queue': return `https://sqs.${this.region}.amazonaws.com/${this.account}/${this.physicalName(logicalId, 'QueueName')}`;
      case 'AWS::SNS::Topic': return this.getAtt(logicalId, 'TopicArn');
      case 'AWS::KMS::Key': return `key-${logicalId}`;
      case 'AWS::IVS::Stage': return this.getAtt(logicalId, 'Arn');
      case 'AWS::Events::EventBus': return this.physicalName(logicalId, 'Name');
      case 'AWS::Logs::LogGroup': return this.physicalName(logicalId, 'LogGroupName');
      case 'AWS::CloudWatch::Alarm': return this.physicalName(logicalId, 'AlarmName');
      case 'AWS::Events::Archive': return this.physicalName(logicalId, 'ArchiveName');
      case 'AWS::Lambda::Function': return this.physicalName(logicalId, 'FunctionName');
      default: return this.physicalName(logicalId, 'Name');
    }
  }

  /** What `Fn::GetAtt` returns, per resource type (CloudFormation resource reference, "Return values"). */
  public getAtt(logicalId: string, attribute: string): string {
    const resource = this.resources[logicalId];
    const type = resource?.Type;
    const arn = (service: string, resourcePart: string) => `arn:aws:${service}:${this.region}:${this.account}:${resourcePart}`;
    switch (`${type}.${attribute}`) {
      case 'AWS::Events::Rule.Arn': {
        const bus = this.ruleBus(logicalId);
        const name = this.physicalName(logicalId, 'Name');
        return arn('events', bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}`);
      }
      case 'AWS::Events::EventBus.Arn': return arn('events', `event-bus/${this.physicalName(logicalId, 'Name')}`);
      case 'AWS::Events::EventBus.Name': return this.physicalName(logicalId, 'Name');
      case 'AWS::Events::Archive.Arn': return arn('events', `archive/${this.physicalName(logicalId, 'ArchiveName')}`);
      case 'AWS::SQS::Queue.Arn': return arn('sqs', this.physicalName(logicalId, 'QueueName'));
      case 'AWS::SQS::Queue.QueueName': return this.physicalName(logicalId, 'QueueName');
      case 'AWS::SNS::Topic.TopicArn': return arn('sns', this.physicalName(logicalId, 'TopicName'));
      case 'AWS::SNS::Topic.TopicName': return this.physicalName(logicalId, 'TopicName');
      case 'AWS::KMS::Key.Arn': return arn('kms', `key/key-${logicalId}`);
      case 'AWS::Logs::LogGroup.Arn': return arn('logs', `log-group:${this.physicalName(logicalId, 'LogGroupName')}:*`);
      case 'AWS::IVS::Stage.Arn': return arn('ivs', `stage/${logicalId.slice(0, 12)}`);
      case 'AWS::CloudWatch::Alarm.Arn': return arn('cloudwatch', `alarm:${this.physicalName(logicalId, 'AlarmName')}`);
      case 'AWS::DynamoDB::Table.Arn': return arn('dynamodb', `table/${this.physicalName(logicalId, 'TableName')}`);
      case 'AWS::IAM::Role.Arn': return `arn:aws:iam::${this.account}:role/${this.physicalName(logicalId, 'RoleName')}`;
      default: return `<${logicalId}.${attribute}>`;
    }
  }

  /** Conditions CloudFormation would refuse (they read a resource or an import). */
  public conditionProblems(): string[] {
    return Object.keys(this.conditions).flatMap(name => {
      try {
        this.condition(name);
        return [];
      } catch (e) {
        return [(e as Error).message];
      }
    });
  }

  /** The name of the bus a rule is on: `default` unless its EventBusName names another. */
  public ruleBus(logicalId: string): string {
    const given = this.resources[logicalId]?.Properties?.EventBusName;
    if (given === undefined) {
      return 'default';
    }
    const name = String(this.resolve(given));
    // EventBusName also takes the bus ARN.
    return name.startsWith('arn:') ? name.split('/').slice(1).join('/') : name;
  }

  private condition(name: string): boolean {
    // CloudFormation lets a condition read parameters, mappings, pseudo parameters and other
    // conditions, never a resource: such a template is refused before anything deploys.
    const refs = JSON.stringify(this.conditions[name] ?? {}).match(/"(Ref|Fn::GetAtt|Fn::ImportValue)":\s*("[^"]+"|\[)/g) ?? [];
    const resourceRefs = refs.filter(r => !r.includes('"AWS::') && (r.includes('GetAtt') || r.includes('ImportValue') || this.resources[JSON.parse(r.split(':').slice(1).join(':').trim())] !== undefined));
    if (resourceRefs.length > 0) {
      throw new Error(`condition ${name} refers to ${resourceRefs.join(', ')}: CloudFormation refuses conditions on resources`);
    }
    const evaluate = (expr: any): boolean => {
      const [fn] = Object.keys(expr);
      const arg = expr[fn];
      switch (fn) {
        case 'Fn::Equals': return this.resolve(arg[0]) === this.resolve(arg[1]);
        case 'Fn::Not': return !evaluate(arg[0]);
        case 'Fn::And': return arg.every(evaluate);
        case 'Fn::Or': return arg.some(evaluate);
        case 'Condition': return this.condition(arg);
        default: throw new Error(`unknown condition function ${fn}`);
      }
    };
    if (!(name in this.conditions)) {
      throw new Error(`condition ${name} is not defined: the template fails to deploy`);
    }
    return evaluate(this.conditions[name]);
  }

  private sub(arg: any): string {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    return String(text).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
      if (name in vars) {
        return String(this.resolve(vars[name]));
      }
      const [id, attribute] = name.split('.');
      return attribute ? this.getAtt(id, attribute) : this.ref(id);
    });
  }
}
