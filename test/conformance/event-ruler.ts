/**
 * Checks EventBridge event patterns against sample events with AWS event-ruler
 * (https://github.com/aws/event-ruler), the open-source engine EventBridge uses, so
 * tests assert real matching semantics instead of trusting a home-made matcher.
 *
 * Needs Java 11+ and the jars fetched once by `npx projen conformance:setup`
 * (mvn dependency:copy-dependencies into test/conformance/target/lib, see pom.xml).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface MatchCase {
  readonly pattern: unknown;
  readonly event: unknown;
}

const HERE = __dirname;
const TARGET = path.join(HERE, 'target');
const LIB = path.join(TARGET, 'lib');
const CLASSES = path.join(TARGET, 'classes');
const SOURCE = path.join(HERE, 'EventRulerMatch.java');
const CLASS_FILE = path.join(CLASSES, 'EventRulerMatch.class');
const SETUP_HINT = 'run `npx projen conformance:setup`';

// Short-lived JVM: C1 only and the serial GC cut start-up time, which dominates each call.
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];

let compiled = false;

/**
 * Returns, for each case, whether event-ruler says the event matches the pattern.
 * All cases go to a single JVM, so batch them: a call costs ~0.25 s, nearly all JVM start-up.
 * Throws (never returns false) when a pattern or event is malformed.
 */
export function eventRulerMatches(cases: MatchCase[]): boolean[] {
  if (cases.length === 0) {
    return [];
  }
  ensureCompiled();

  // The Java side takes JSON text, exactly what a CDK template would carry.
  const input = JSON.stringify(
    cases.map((c) => ({ pattern: JSON.stringify(c.pattern), event: JSON.stringify(c.event) })),
  );
  const output = run(
    javaTool('java'),
    [...JVM_FLAGS, '-cp', [CLASSES, path.join(LIB, '*')].join(path.delimiter), 'EventRulerMatch'],
    input,
  );

  const results: unknown = JSON.parse(output);
  if (!Array.isArray(results) || results.length !== cases.length || !results.every((r) => typeof r === 'boolean')) {
    throw new Error(`EventRulerMatch returned an unexpected result for ${cases.length} case(s): ${output}`);
  }
  return results;
}

/**
 * Compiles EventRulerMatch.java once: running the class takes ~0.25 s, a single-file source
 * launch (`java EventRulerMatch.java`) ~0.8 s, because it recompiles on every call.
 */
function ensureCompiled(): void {
  if (compiled) {
    return;
  }
  const jars = fs.existsSync(LIB) ? fs.readdirSync(LIB) : [];
  if (!jars.some((f) => /^event-ruler-.*\.jar$/.test(f))) {
    throw new Error(`event-ruler jars not found in ${LIB}: ${SETUP_HINT}`);
  }

  if (!fs.existsSync(CLASS_FILE) || fs.statSync(CLASS_FILE).mtimeMs < fs.statSync(SOURCE).mtimeMs) {
    // jest runs test files in parallel workers: compile into a private directory and
    // rename the single class file into place, so no worker ever loads a half-written one.
    fs.mkdirSync(CLASSES, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(TARGET, 'javac-'));
    try {
      run(javaTool('javac'), ['-encoding', 'UTF-8', '-cp', path.join(LIB, '*'), '-d', tmp, SOURCE]);
      fs.renameSync(path.join(tmp, 'EventRulerMatch.class'), CLASS_FILE);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  compiled = true;
}

/** Prefers $JAVA_HOME (what Maven used) over whatever `java` is first on PATH. */
function javaTool(name: 'java' | 'javac'): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', name) : name;
}

function run(file: string, args: string[], input?: string): string {
  try {
    return execFileSync(file, args, {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { status?: number | null; stderr?: string };
    if (err.code === 'ENOENT') {
      throw new Error(`${file} not found: install a JDK 11+ and put it on PATH or set JAVA_HOME`);
    }
    const stderr = (err.stderr ?? '').trim();
    throw new Error(`${path.basename(file)} failed (exit ${err.status ?? 'signal'}): ${stderr || err.message}`);
  }
}
