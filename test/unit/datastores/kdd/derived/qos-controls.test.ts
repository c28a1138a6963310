import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { qosControlsFromAnnotations } from '../../../../../src/datastores/kdd/derived/qos-controls.js';

const Q = 'qos.projectcalico.org/';

describe('qosControlsFromAnnotations', () => {
  it('reads valid annotations (Calico conversion_test "should parse valid QoSControl annotations")', () => {
    const result = qosControlsFromAnnotations({
      arbitrary: 'annotation',
      [`${Q}ingressBandwidth`]: '1M',
      [`${Q}egressBandwidth`]: '2M',
      [`${Q}ingressBurst`]: '3M',
      [`${Q}egressBurst`]: '4M',
      [`${Q}ingressPeakrate`]: '5M',
      [`${Q}egressPeakrate`]: '6M',
      [`${Q}ingressMinburst`]: '7M',
      [`${Q}egressMinburst`]: '8M',
      [`${Q}ingressPacketRate`]: '2k',
      [`${Q}egressPacketRate`]: '9k',
      [`${Q}ingressPacketBurst`]: '1k',
      [`${Q}egressPacketBurst`]: '10k',
      [`${Q}ingressMaxConnections`]: '13M',
      [`${Q}egressMaxConnections`]: '14M',
      [`${Q}dscp`]: 'cs5',
    });
    assert.deepEqual(result, {
      qosControls: {
        ingressBandwidth: 1000000,
        ingressBurst: 3000000,
        ingressPeakrate: 5000000,
        ingressMinburst: 7000000,
        egressBandwidth: 2000000,
        egressBurst: 4000000,
        egressPeakrate: 6000000,
        egressMinburst: 8000000,
        ingressPacketRate: 2000,
        ingressPacketBurst: 1000,
        egressPacketRate: 9000,
        egressPacketBurst: 10000,
        ingressMaxConnections: 13000000,
        egressMaxConnections: 14000000,
        dscp: 'CS5',
      },
      warnings: [],
    });
  });

  it('clamps out-of-range values (Calico "should cap invalid QoSControl annotations")', () => {
    const result = qosControlsFromAnnotations({
      [`${Q}ingressBandwidth`]: '1',
      [`${Q}egressBandwidth`]: '20P',
      [`${Q}ingressBurst`]: '3',
      [`${Q}egressBurst`]: '40P',
      [`${Q}ingressPeakrate`]: '5',
      [`${Q}egressPeakrate`]: '50P',
      [`${Q}ingressMinburst`]: '7',
      [`${Q}egressMinburst`]: '8Gi',
      [`${Q}ingressPacketRate`]: '0',
      [`${Q}egressPacketRate`]: '60P',
      [`${Q}ingressPacketBurst`]: '0',
      [`${Q}egressPacketBurst`]: '70P',
      [`${Q}ingressMaxConnections`]: '0',
      [`${Q}egressMaxConnections`]: '80P',
    });
    assert.deepEqual(result.qosControls, {
      ingressBandwidth: 1000,
      ingressBurst: 1000,
      ingressPeakrate: 1010,
      ingressMinburst: 1000,
      egressBandwidth: 1000000000000000,
      egressBurst: 34359738360,
      egressPeakrate: 1010000000000000,
      egressMinburst: 100000000,
      ingressPacketRate: 1,
      ingressPacketBurst: 1,
      egressPacketRate: 10000,
      egressPacketBurst: 10000,
      ingressMaxConnections: 1,
      egressMaxConnections: 4294967295,
    });
    assert.equal(result.warnings.length, 14);
  });

  // The last row's values are also above the packet-burst maximum (10k): clamped, then dropped.
  const dropped: [string, Record<string, string>, number][] = [
    ['burst without bandwidth', { [`${Q}ingressBurst`]: '3M', [`${Q}egressBurst`]: '4M' }, 2],
    [
      'peakrate without bandwidth',
      { [`${Q}ingressPeakrate`]: '3M', [`${Q}egressPeakrate`]: '4M' },
      2,
    ],
    [
      'minburst without peakrate',
      { [`${Q}ingressMinburst`]: '3M', [`${Q}egressMinburst`]: '4M' },
      2,
    ],
    [
      'packet burst without packet rate',
      { [`${Q}ingressPacketBurst`]: '3M', [`${Q}egressPacketBurst`]: '4M' },
      4,
    ],
  ];
  for (const [title, annotations, warnings] of dropped) {
    it(`ignores ${title} (Calico "should ignore ...")`, () => {
      const result = qosControlsFromAnnotations(annotations);
      assert.equal(result.qosControls, undefined);
      assert.equal(result.warnings.length, warnings);
    });
  }

  it('reads the Kubernetes bandwidth annotations, which the Calico ones override, and defaults bursts', () => {
    const result = qosControlsFromAnnotations({
      'kubernetes.io/ingress-bandwidth': '10M',
      'kubernetes.io/egress-bandwidth': '20M',
      [`${Q}egressBandwidth`]: '30M',
      [`${Q}ingressPacketRate`]: '100',
    });
    assert.deepEqual(result, {
      qosControls: {
        ingressBandwidth: 10000000,
        ingressBurst: 4294967296,
        egressBandwidth: 30000000,
        egressBurst: 4294967296,
        ingressPacketRate: 100,
        ingressPacketBurst: 5,
      },
      warnings: [],
    });
  });

  it('drops a peakrate not above the bandwidth, and the minburst that depended on it', () => {
    const result = qosControlsFromAnnotations({
      [`${Q}ingressBandwidth`]: '10M',
      [`${Q}ingressPeakrate`]: '10M',
      [`${Q}ingressMinburst`]: '2k',
    });
    assert.deepEqual(result.qosControls, { ingressBandwidth: 10000000, ingressBurst: 4294967296 });
  });

  it('zeroes an unparsable value with a warning', () => {
    const result = qosControlsFromAnnotations({ [`${Q}ingressBandwidth`]: '10 Mbit' });
    assert.equal(result.qosControls, undefined);
    assert.equal(result.warnings.length, 1);
  });

  const dscp: [string, number | string | undefined][] = [
    ['ef', 'EF'],
    ['Af41', 'AF41'],
    ['46', 46],
    ['063', 63],
    ['64', undefined],
    ['256', undefined],
    [' EF ', ' EF '],
    ['gold', undefined],
  ];
  for (const [text, expected] of dscp) {
    it(`DSCP ${JSON.stringify(text)} -> ${JSON.stringify(expected)}`, () => {
      const result = qosControlsFromAnnotations({ [`${Q}dscp`]: text });
      assert.deepEqual(result.qosControls, expected === undefined ? undefined : { dscp: expected });
      assert.equal(result.warnings.length, expected === undefined ? 1 : 0);
    });
  }
});
