/**
 * An import killed part-way (SIGKILL: no clean-up of any kind) and run again converges. The
 * archive holds a few thousand generated IPAM handles (tens of thousands for batched etcd); the CLI import runs as a child process, the
 * target is polled until some handles exist, and the process is killed. The target then holds a
 * part of the archive. The second run must exit 0, plan the handles already written as unchanged
 * and the rest as creates, verify, and leave exactly one object per archived handle. Into KDD (v3
 * CRD mode: one request per object) and into etcd (batched transactions; one write at a time so
 * that the import runs long enough to be interrupted).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isJsonObject } from '../../../src/model/json.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { cliCommand, cliEnvironment } from '../../helpers/run-cli.js';
import { repoRoot } from '../../helpers/paths.js';
import { TestServers } from './servers.js';
import type { ReportedRun, Server } from './support.js';
import {
  assertExit,
  datastoreFlags,
  importInto,
  planOf,
  resultOf,
  totalOf,
  verifyAgainst,
  writeTestArchive,
} from './support.js';

const HANDLE_PREFIX = '/calico/ipam/v2/handle/';

/** `count` IPAM handles of pods in one block, named `k8s-pod-network.resume-<n>`. */
function generateHandles(count: number): CalicoResource[] {
  return Array.from({ length: count }, (_, i) => {
    const handleID = `k8s-pod-network.resume-${String(i).padStart(6, '0')}`;
    return {
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPAMHandle',
      metadata: { name: handleID },
      spec: {
        handleID,
        block: { [`10.${100 + (i >> 16)}.${(i >> 8) & 255}.0/24`]: 1 },
        deleted: false,
      },
    };
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CASES: { target: Server; handles: number; extra: string[] }[] = [
  { target: 'v3', handles: 2000, extra: [] },
  { target: 'etcd', handles: 20000, extra: ['--concurrency', '1'] },
];

for (const { target, handles, extra } of CASES) {
  describe(`an import into ${target} killed part-way and run again`, () => {
    let servers: TestServers;
    let archive: string;
    let atKill: number;
    let killedAfterMs: number;
    let rerun: ReportedRun;
    let verified: ReportedRun;
    let finalCount: number;

    /** IPAM handles the target holds. */
    async function countHandles(): Promise<number> {
      if (target === 'etcd') {
        const response = await servers.etcd.kv.range({
          key: Buffer.from(HANDLE_PREFIX),
          range_end: Buffer.from(HANDLE_PREFIX.slice(0, -1) + '0'),
          count_only: true,
        });
        return Number(response.count);
      }
      return (await servers.api(target).list('/apis/projectcalico.org/v3/ipamhandles')).length;
    }

    /** Whether the target holds any handle yet (one small request: polled while the import runs). */
    async function anyHandle(): Promise<boolean> {
      if (target === 'etcd') return (await countHandles()) > 0;
      const { body } = await servers
        .api(target)
        .send('GET', '/apis/projectcalico.org/v3/ipamhandles?limit=1');
      return isJsonObject(body) && Array.isArray(body.items) && body.items.length > 0;
    }

    /** Starts the CLI import, waits until some handles exist, kills it with SIGKILL. */
    async function importAndKill(): Promise<void> {
      const [command, ...args] = cliCommand([
        'import',
        archive,
        ...datastoreFlags(servers.env, target, '--to'),
        ...extra,
      ]);
      const started = Date.now();
      const child = spawn(command!, args, {
        cwd: repoRoot,
        env: cliEnvironment(),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.on('exit', (code, signal) => resolve(signal ?? code)),
      );
      let running = true;
      void exited.then(() => (running = false));
      while (running && !(await anyHandle())) await sleep(20);
      killedAfterMs = Date.now() - started;
      child.kill('SIGKILL');
      const how = await exited;
      assert.equal(how, 'SIGKILL', `the import was killed, not finished:\n${stderr}`);
    }

    before(async () => {
      servers = await TestServers.open(`resume-${target}`);
      archive = await writeTestArchive(
        join(servers.dir, 'handles.tar.gz'),
        generateHandles(handles),
      );
      await servers.emptyTarget(target);
      await importAndKill();
      atKill = await countHandles();
      rerun = await importInto(servers.env, servers.dir, archive, target, extra);
      verified = await verifyAgainst(servers.env, servers.dir, archive, target);
      finalCount = await countHandles();
    });

    after(async () => {
      await servers?.close(target === 'etcd' ? [] : [target]);
    });

    it('the kill left a part of the archive written', (t) => {
      t.diagnostic(`${atKill} of ${handles} handles written when killed after ${killedAfterMs} ms`);
      assert.ok(atKill > 0, 'some handles were written before the kill');
      assert.ok(
        atKill < handles,
        `killed part-way (${atKill} of ${handles} written after ${killedAfterMs} ms)`,
      );
    });

    it('the second run exits 0 and reports the handles already written as unchanged', () => {
      assertExit(rerun.result, 0, 'second import');
      const plan = planOf(rerun.report);
      assert.deepEqual(plan.counts.IPAMHandle, { unchanged: atKill, create: handles - atKill });
      const result = resultOf(rerun.report)!;
      assert.equal(result.counts.IPAMHandle?.unchanged, atKill);
      assert.equal(result.counts.IPAMHandle?.create, handles - atKill);
      assert.equal(totalOf(result, 'matched'), handles);
      assert.deepEqual(result.failures, []);
    });

    it('verify passes', () => {
      assertExit(verified.result, 0, 'verify');
      assert.equal(totalOf(resultOf(verified.report)!, 'matched'), handles);
    });

    it('nothing is duplicated: exactly one object per archived handle', () => {
      assert.equal(finalCount, handles);
    });
  });
}
