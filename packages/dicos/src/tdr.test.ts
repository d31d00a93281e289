import dcmjs from 'dcmjs';
import { MachineResult, type Detection } from '@clearway/protocol';
import { describe, expect, it } from 'vitest';
import { detectionsToPtos, tdrToMachineResult } from './convert.ts';
import { dictionaryEntry, writeFile } from './dcm.ts';
import { readDicos } from './read.ts';
import { TDR_TAGS, writeMachineTdr, writeOperatorTdr } from './tdr.ts';
import type { DicosTdr } from './types.ts';
import { SOP_CLASS, TRANSFER_SYNTAX, newUid, uidFromUuid } from './uids.ts';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

function tdr(bytes: Uint8Array): DicosTdr {
  const obj = readDicos(bytes);
  if (obj.kind !== 'tdr') throw new Error(`expected a TDR, got ${obj.kind}`);
  return obj;
}

function viaDcmjs(bytes: Uint8Array) {
  const dict = DicomMessage.readFile(bytes.slice().buffer);
  return { meta: DicomMetaDictionary.naturalizeDataset(dict.meta), ds: DicomMetaDictionary.naturalizeDataset(dict.dict) as Record<string, unknown> };
}

describe('TDR tags', () => {
  it('are the ones in dcmjs\'s data dictionary (keyword, tag)', () => {
    for (const [keyword, tag] of Object.entries(TDR_TAGS)) {
      expect(dictionaryEntry(keyword)?.tag, keyword).toBe(tag);
    }
    // VRs this package relies on: PTO ID is a number (US), probabilities and ROI floats (FL), the
    // algorithm a LO with several values.
    expect(dictionaryEntry('PotentialThreatObjectID')?.vr).toBe('US');
    expect(dictionaryEntry('ThreatROIBase')).toMatchObject({ vr: 'FL', vm: '3' });
    expect(dictionaryEntry('BoundingPolygon')).toMatchObject({ vr: 'FL', vm: '6-n' });
    expect(dictionaryEntry('ThreatDetectionAlgorithmandVersion')).toMatchObject({ vr: 'LO', vm: '1-n' });
    expect(dictionaryEntry('AlarmDecisionTime')?.vr).toBe('DT');
  });
});

const IMAGE = { imageSopInstanceUid: '1.2.826.0.1.3680043.2.1125.1.42', imageSopClassUid: SOP_CLASS.dxForPresentation };
const DECISION = { verdict: 'search' as const, officer: { id: 'li.wei', name: 'Li Wei' }, shownAt: '2025-06-01T08:00:00.000Z', decidedAt: '2025-06-01T08:00:04.250Z' };

describe('writeOperatorTdr', () => {
  it('writes an OPERATOR TDR that readDicos and dcmjs read back attribute for attribute', () => {
    const study = newUid();
    const imageSeries = newUid();
    const sopInstanceUid = uidFromUuid('0f8fad5b-d9cb-469f-a165-70867728950e');
    const bytes = writeOperatorTdr({ ...IMAGE, studyInstanceUid: study, imageSeriesInstanceUid: imageSeries, sopInstanceUid, decision: DECISION });
    const t = tdr(bytes);
    expect(t).toMatchObject({
      kind: 'tdr', sopClassUid: SOP_CLASS.tdr, sopInstanceUid, studyInstanceUid: study, modality: 'TDR', transferSyntaxUid: TRANSFER_SYNTAX.explicitLittleEndian,
      tdrType: 'OPERATOR', alarmDecision: 'ALARM', alarmDecisionAt: DECISION.decidedAt, abortFlag: 'SUCCESS', abortReasons: [],
      processingTimeMs: 4250, totalObjects: 0, alarmObjects: 0, operator: { id: 'li.wei', name: 'Li Wei' }, ptos: [],
      referencedImage: { sopInstanceUid: IMAGE.imageSopInstanceUid, sopClassUid: IMAGE.imageSopClassUid },
    });
    expect(sopInstanceUid).toMatch(/^2\.25\.\d+$/);

    const { meta, ds } = viaDcmjs(bytes);
    expect(meta).toMatchObject({ TransferSyntaxUID: TRANSFER_SYNTAX.explicitLittleEndian, MediaStorageSOPClassUID: SOP_CLASS.tdr, MediaStorageSOPInstanceUID: sopInstanceUid });
    expect(ds).toMatchObject({
      SOPClassUID: SOP_CLASS.tdr, SOPInstanceUID: sopInstanceUid, StudyInstanceUID: study, Modality: 'TDR',
      TDRType: 'OPERATOR', AlarmDecision: 'ALARM', AlarmDecisionTime: '20250601080004.250000+0000', AbortFlag: 'SUCCESS',
      TotalProcessingTime: 4250, NumberOfTotalObjects: 0, NumberOfAlarmObjects: 0,
      OperatorsName: [{ Alphabetic: 'Li Wei' }],
      OperatorIdentificationSequence: [{ PersonIdentificationCodeSequence: [{ CodeValue: 'li.wei', CodingSchemeDesignator: '99CLEARWAY', CodeMeaning: 'Li Wei' }] }],
      ReferencedSeriesSequence: [{ SeriesInstanceUID: imageSeries, ReferencedInstanceSequence: [{ ReferencedSOPClassUID: IMAGE.imageSopClassUid, ReferencedSOPInstanceUID: IMAGE.imageSopInstanceUid }] }],
    });
    expect(ds['ThreatSequence']).toBeUndefined();
  });

  it('says CLEAR for a clear verdict, and puts a long officer ID in Long Code Value', () => {
    const officer = { id: 'an.officer.with.a.long.id', name: 'Anna K' };
    const bytes = writeOperatorTdr({ ...IMAGE, decision: { ...DECISION, verdict: 'clear', officer } });
    expect(tdr(bytes)).toMatchObject({ alarmDecision: 'CLEAR', operator: { id: officer.id, name: 'Anna K' } });
    const { ds } = viaDcmjs(bytes);
    expect(ds).toMatchObject({ OperatorIdentificationSequence: [{ PersonIdentificationCodeSequence: [{ LongCodeValue: officer.id }] }] });
  });

  it('writes the officer\'s marks as PTOs of the image', () => {
    const bytes = writeOperatorTdr({ ...IMAGE, decision: DECISION, ptos: [{ category: 'PROHIBITED_ITEM', label: 'knife', box: { x: 10, y: 20, width: 30, height: 40 } }] });
    const t = tdr(bytes);
    expect(t.totalObjects).toBe(1);
    expect(t.alarmObjects).toBe(1);
    expect(t.ptos).toEqual([expect.objectContaining({
      id: 1, category: 'PROHIBITED_ITEM', label: 'knife', assessmentFlag: 'THREAT', referencedSopInstanceUid: IMAGE.imageSopInstanceUid,
      box: { x: 10, y: 20, z: 0, width: 30, height: 40, depth: 1 }, roi: { base: [10, 20, 0], extents: [30, 40, 1] },
    })]);
    const { ds } = viaDcmjs(bytes);
    expect(ds).toMatchObject({
      ThreatSequence: [{
        PotentialThreatObjectID: 1,
        ATDAssessmentSequence: [{ ThreatCategory: 'PROHIBITED_ITEM', ThreatCategoryDescription: 'knife', ATDAssessmentFlag: 'THREAT', ATDAbilityAssessment: 'NO_INTERFERENCE' }],
        PTORepresentationSequence: [{
          ReferencedInstanceSequence: [{ ReferencedSOPInstanceUID: IMAGE.imageSopInstanceUid }],
          ThreatROIBase: [10, 20, 0], ThreatROIExtents: [30, 40, 1], BoundingPolygon: [10, 20, 0, 40, 20, 0, 40, 60, 0, 10, 60, 0],
        }],
      }],
    });
  });

  it('refuses values no TDR can hold', () => {
    expect(() => writeOperatorTdr({ ...IMAGE, imageSopInstanceUid: 'not-a-uid', decision: DECISION })).toThrow(RangeError);
    expect(() => writeOperatorTdr({ ...IMAGE, decision: { ...DECISION, decidedAt: 'yesterday' } })).toThrow(RangeError);
    expect(() => writeOperatorTdr({ ...IMAGE, decision: DECISION, ptos: [{ id: 70000, box: { x: 0, y: 0, width: 1, height: 1 } }] })).toThrow(/PTO ID/);
  });
});

describe('machine TDRs', () => {
  const detections: Detection[] = [
    { id: '1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.75, box: { view: 'top', x: 12, y: 34, width: 56, height: 78 } },
    { id: '7', label: 'battery', category: 'OTHER', score: 0.5, box: { view: 'top', x: 0, y: 0, width: 8, height: 9 } },
  ];

  it('round-trip: detections → TDR → readDicos → MachineResult with the same boxes', () => {
    const bytes = writeMachineTdr({ ...IMAGE, algorithm: 'VendorX ATR 4.2', alarm: true, processingMs: 87, ptos: detectionsToPtos(detections) });
    const t = tdr(bytes);
    expect(t).toMatchObject({ tdrType: 'MACHINE', alarmDecision: 'ALARM', algorithm: 'VendorX ATR 4.2', processingTimeMs: 87, totalObjects: 2, alarmObjects: 2 });
    const result = tdrToMachineResult(t, { image: { imageType: 'dx', rows: 480, columns: 640, frames: 1 } });
    expect(MachineResult.safeParse(result).success).toBe(true);
    expect(result).toMatchObject({ algorithm: 'VendorX ATR 4.2', alarm: true, processingMs: 87 });
    expect(result.detections.map((d) => ({ ...d, score: Math.round(d.score * 1e6) / 1e6 }))).toEqual(detections);
  });

  it('writes abort reasons and a CLEAR decision', () => {
    const t = tdr(writeMachineTdr({ ...IMAGE, algorithm: 'VendorX ATR 4.2', alarm: false, abortReasons: ['OversizeBag', 'Timeout'] }));
    expect(t).toMatchObject({ alarmDecision: 'CLEAR', abortFlag: 'ABORT', abortReasons: ['OversizeBag', 'Timeout'], ptos: [] });
    expect(tdrToMachineResult(t)).toEqual({ algorithm: 'VendorX ATR 4.2', alarm: false, detections: [] });
  });

  it('projects a CT PTO into the top and side views and clips boxes to the image', () => {
    const ct = { imageSopInstanceUid: IMAGE.imageSopInstanceUid, imageSopClassUid: SOP_CLASS.ct };
    const t = tdr(writeMachineTdr({ ...ct, algorithm: 'CT ATR 1.0', alarm: true, ptos: [{ category: 'EXPLOSIVE', probability: 0.9, box: { x: 100, y: 50, z: 30, width: 20, height: 10, depth: 40 } }] }));
    const result = tdrToMachineResult(t, { image: { imageType: 'ct', rows: 128, columns: 256, frames: 60 } });
    expect(result.detections).toEqual([
      expect.objectContaining({ id: '1', label: 'EXPLOSIVE', category: 'EXPLOSIVE', box: { view: 'top', x: 100, y: 30, width: 20, height: 30 } }),
      expect.objectContaining({ id: '1-side', box: { view: 'side', x: 50, y: 30, width: 10, height: 30 } }),
    ]);
    const topOnly = tdrToMachineResult(t, { image: { imageType: 'ct', rows: 128, columns: 256, frames: 60 }, views: ['top'] });
    expect(topOnly.detections.map((d) => d.box.view)).toEqual(['top']);
  });

  it('reads vendor variants: a Bounding Polygon only, assessment in the threat item, processing time per PTO', () => {
    const imageUid = newUid();
    const ds = {
      Modality: 'TDR', TDRType: 'MACHINE', AlarmDecision: 'ALARM', ThreatDetectionAlgorithmandVersion: ['Stratovan', '3.16'],
      AlarmDecisionTime: '20250102030405',
      TimezoneOffsetFromUTC: '+0100',
      ThreatSequence: [
        {
          PotentialThreatObjectID: 0, ThreatCategory: 'CONTRABAND', ATDAssessmentFlag: 'HIGH_THREAT', TotalProcessingTime: 40,
          PTORepresentationSequence: [{
            ReferencedInstanceSequence: [{ ReferencedSOPClassUID: SOP_CLASS.dxForProcessing, ReferencedSOPInstanceUID: imageUid }],
            BoundingPolygon: [5, 6, 0, 25, 6, 0, 25, 16, 0, 5, 16, 0],
          }],
        },
        { PotentialThreatObjectID: 1, ATDAssessmentSequence: [{ ThreatCategory: 'LAPTOP', ATDAssessmentFlag: 'NO_THREAT' }], TotalProcessingTime: 55 },
      ],
    };
    const t = tdr(writeFile(ds, { sopClassUid: SOP_CLASS.tdr, sopInstanceUid: newUid(), transferSyntaxUid: TRANSFER_SYNTAX.implicitLittleEndian }));
    expect(t).toMatchObject({ algorithm: 'Stratovan 3.16', processingTimeMs: 55, alarmDecisionAt: '2025-01-02T02:04:05.000Z', referencedImage: { sopInstanceUid: imageUid } });
    expect(t.ptos[0]).toMatchObject({ id: 0, category: 'CONTRABAND', assessmentFlag: 'HIGH_THREAT', box: { x: 5, y: 6, width: 20, height: 10 } });
    const result = tdrToMachineResult(t);
    expect(result.detections).toEqual([{ id: '0', label: 'CONTRABAND', category: 'CONTRABAND', score: 0.9, box: { view: 'top', x: 5, y: 6, width: 20, height: 10 } }]);
  });
});
