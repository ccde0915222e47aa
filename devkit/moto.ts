import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import {
  CreateTableCommand, DynamoDBClient, ScanCommand, AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ACTIVE_INDEX } from '../src/tracker/table-keys';

/**
 * A real DynamoDB API on this machine: moto's server mode, started and stopped by the test
 * (Amazon's DynamoDB Local is not open-source licensed). It runs one request at a time
 * safely, so tests deliver to it sequentially.
 */
export class MotoServer {
  public static async start(): Promise<MotoServer> {
    const port = await freePort();
    const command = findMotoServer();
    const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const server = new MotoServer(child, port);
    await server.waitUntilReady();
    return server;
  }

  public readonly endpoint: string;

  private constructor(private readonly child: ChildProcess, port: number) {
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  public client(): DynamoDBClient {
    return new DynamoDBClient({
      endpoint: this.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 1,
    });
  }

  /** A table with the tracker's keys (`pk`, `sk`) and sparse index, on demand, as the construct creates it. */
  public async createTable(name: string): Promise<void> {
    await this.client().send(new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: ACTIVE_INDEX.partitionKey, AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{
        IndexName: ACTIVE_INDEX.name,
        KeySchema: [{ AttributeName: ACTIVE_INDEX.partitionKey, KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ACTIVE_INDEX.projected },
      }],
    }));
  }

  public async scan(tableName: string): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client().send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  public stop(): void {
    this.child.kill();
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`moto_server exited with ${this.child.exitCode}`);
      }
      try {
        const response = await fetch(`${this.endpoint}/moto-api/`);
        if (response.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    throw new Error('moto_server did not start within 30 s');
  }
}

/** The moto the repository pins (toolchain/pip/moto.txt), never whichever one the machine has. */
function findMotoServer(): string {
  const server = path.join(__dirname, '..', '.tools', 'moto', 'bin', 'moto_server');
  if (!fs.existsSync(server)) {
    throw new Error(`${server} not found: run \`npx projen tracker:setup\` (toolchain/pip/moto.txt)`);
  }
  return server;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
