// Threat detection for Clearway: model checks, YOLO pre- and post-processing, AP metrics, and a
// detector over any ONNX Runtime (passed in). Pure: no Node, no DOM; runs in the console's
// worker, the command line and the hub alike.
export { ModelRefused, MAX_MODEL_BYTES, parseClassNames, readModelInfo, type ModelInfo, type ModelRefusedCode } from './model-info.ts';
export { PAD_VALUE, letterbox, letterboxGeometry, unletterbox, type Letterbox } from './letterbox.ts';
export { DEFAULT_DECODE, decodeYolo, iou, nms, type Box, type DecodeOptions, type Detection } from './decode.ts';
export { averagePrecision, evaluateDetections, type ClassAp, type GroundTruth } from './evaluate.ts';
export { createDetector, verifyModel, type DetectResult, type DetectionTimings, type Detector, type OrtRuntime } from './detector.ts';
