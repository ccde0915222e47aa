// On a Node.js older than the project supports, its own tasks that run the library on the
// machine's Node.js say so in one line (scripts/require-node.js) and run on the pinned newest
// Node.js instead (scripts/on-supported-node.sh), rather than fail later in a confusing way.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const oldest = Number(/(\d+)/.exec(pkg.engines.node)![1]);
const requireNode = (version: string) => spawnSync(process.execPath, [path.join(ROOT, 'scripts/require-node.js'), version], { encoding: 'utf8' });

describe('scripts/require-node.js', () => {
  test('the oldest supported release is the engines floor, 22', () => {
    expect(oldest).toBe(22);
  });

  test.each(['20.20.2', 'v20.0.0', '18.19.1', '21.7.3'])('refuses Node.js %s in one line that names both majors and CONTRIBUTING', (version) => {
    const result = requireNode(version);
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`Node.js ${oldest} or newer is required, found ${Number(version.replace('v', '').split('.')[0])}.x; see CONTRIBUTING\n`);
  });

  test.each(['22.0.0', '22.23.3', 'v24.21.0', '26.0.0'])('accepts Node.js %s silently', (version) => {
    expect(requireNode(version)).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  test('the message is the one the issue asked for, on this machine\'s Node.js 20', () => {
    expect(requireNode('20.20.2').stderr).toBe('Node.js 22 or newer is required, found 20.x; see CONTRIBUTING\n');
  });
});

describe('scripts/on-supported-node.sh', () => {
  test('the tasks that run the library on the machine\'s Node.js go through it', () => {
    const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen/tasks.json'), 'utf8')).tasks;
    expect(tasks.example.steps[0].exec).toMatch(/^bash scripts\/on-supported-node\.sh ts-node /);
    expect(tasks.bench.steps.map((s: any) => s.exec).filter(Boolean)).toEqual([expect.stringMatching(/^bash scripts\/on-supported-node\.sh ts-node /)]);
  });

  test('runs the command on a supported Node.js, whichever Node.js is on the PATH', () => {
    // On the test task's Node.js 24 it runs the command as it is; on a machine's Node.js 20 it
    // says so and runs it on the pinned newest release: either way, the command gets >= 22.
    const result = spawnSync('bash', [path.join(ROOT, 'scripts/on-supported-node.sh'), 'node', '-p', 'process.versions.node'], { encoding: 'utf8', cwd: ROOT });
    expect(result.status).toBe(0);
    expect(Number(result.stdout.trim().split('.')[0])).toBeGreaterThanOrEqual(oldest);
    const machine = spawnSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (Number(machine.split('.')[0]) < oldest) {
      expect(result.stderr).toContain(`Node.js ${oldest} or newer is required, found ${machine.split('.')[0]}.x; see CONTRIBUTING\n`);
    } else {
      expect(result.stderr).toBe('');
    }
  }, 300_000);
});
