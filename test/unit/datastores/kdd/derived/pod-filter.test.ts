import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isCalicoManagedPod,
  isFinishedPod,
  podHasIpAddress,
  podSkipReason,
} from '../../../../../src/datastores/kdd/derived/pod-filter.js';
import type { JsonObject } from '../../../../../src/model/json.js';
import {
  completedJobPod,
  dualStackPod,
  hostNetworkPod,
  minimalPod,
  podWithoutIp,
  unscheduledPod,
  webPod,
} from './pod-fixtures.js';

const A = 'cni.projectcalico.org/';
const DELETING = { deletionTimestamp: '2025-06-05T00:00:00Z' };

describe('pod predicates', () => {
  const rows: {
    title: string;
    pod: JsonObject;
    skip: string | undefined;
    hasIp: boolean;
    finished: boolean;
    managed: boolean;
  }[] = [
    {
      title: 'running Calico pod',
      pod: webPod(),
      skip: undefined,
      hasIp: true,
      finished: false,
      managed: true,
    },
    {
      title: 'dual-stack Calico pod',
      pod: dualStackPod(),
      skip: undefined,
      hasIp: true,
      finished: false,
      managed: true,
    },
    {
      title: 'host-network pod',
      pod: hostNetworkPod(),
      skip: 'host-network',
      hasIp: true,
      finished: false,
      managed: false,
    },
    {
      title: 'unscheduled pod',
      pod: unscheduledPod(),
      skip: 'not-scheduled',
      hasIp: false,
      finished: false,
      managed: false,
    },
    {
      title: 'pod without IP',
      pod: podWithoutIp(),
      skip: undefined,
      hasIp: false,
      finished: false,
      managed: false,
    },
    {
      title: 'completed Job pod',
      pod: completedJobPod(),
      skip: undefined,
      hasIp: true,
      finished: true,
      managed: false,
    },
    {
      title: 'pod networked by another CNI (status IP, no Calico annotation)',
      pod: minimalPod({}, { podIP: '10.1.2.3', phase: 'Running' }),
      skip: undefined,
      hasIp: true,
      finished: false,
      managed: false,
    },
    {
      title: 'AWS VPC CNI pod (AWS annotation only)',
      pod: minimalPod({ 'vpc.amazonaws.com/pod-ips': '10.1.2.3' }),
      skip: undefined,
      hasIp: true,
      finished: false,
      managed: false,
    },
    {
      title: 'Calico annotation before kubelet reports status.podIP (Pending)',
      pod: minimalPod(
        { [`${A}podIP`]: '10.244.1.9/32', [`${A}podIPs`]: '10.244.1.9/32' },
        { phase: 'Pending' },
      ),
      skip: undefined,
      hasIp: true,
      finished: false,
      managed: true,
    },
    {
      title: 'terminating pod still networked (grace period)',
      pod: minimalPod(
        { [`${A}podIP`]: '10.244.1.9/32' },
        { podIP: '10.244.1.9', phase: 'Running' },
        DELETING,
      ),
      skip: undefined,
      hasIp: true,
      finished: false,
      managed: true,
    },
    {
      title: 'terminating pod after CNI DEL emptied the annotations',
      pod: minimalPod(
        { [`${A}podIP`]: '', [`${A}podIPs`]: '', [`${A}containerID`]: 'abc' },
        { podIP: '10.244.1.9', phase: 'Running' },
        DELETING,
      ),
      skip: undefined,
      hasIp: true,
      finished: true,
      managed: false,
    },
  ];
  for (const row of rows) {
    it(row.title, () => {
      assert.equal(podSkipReason(row.pod), row.skip, 'podSkipReason');
      assert.equal(podHasIpAddress(row.pod), row.hasIp, 'podHasIpAddress');
      assert.equal(isFinishedPod(row.pod), row.finished, 'isFinishedPod');
      assert.equal(isCalicoManagedPod(row.pod), row.managed, 'isCalicoManagedPod');
    });
  }

  it('is false for something that is not an object', () => {
    assert.equal(isCalicoManagedPod(null), false);
    assert.equal(isCalicoManagedPod('pod'), false);
  });
});
