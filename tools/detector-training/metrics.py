"""Post-processing of an Ultralytics-layout output and mAP@0.5, as the TypeScript pipeline does it.

postprocess(): output0 [4 + nc, N] -> transpose -> best class per column -> score threshold ->
per-class NMS -> undo the letterbox -> boxes in original image pixels.
average_precision(): VOC-style all-point interpolated AP at IoU 0.5, detections matched greedily
in descending score order to the ground-truth box of the same class with the highest IoU (a
second detection of an already found box counts as a false positive).
"""

import numpy as np

CONF_FOR_MAP = 0.001
NMS_IOU = 0.6
MAX_DET = 300


def iou_matrix(a, b):
    """IoU between boxes a [n, 4] and b [m, 4] (x1, y1, x2, y2) -> [n, m]."""
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(rb - lt, 0, None).prod(-1)
    area_a = (a[:, 2:] - a[:, :2]).clip(0).prod(-1)
    area_b = (b[:, 2:] - b[:, :2]).clip(0).prod(-1)
    return inter / (area_a[:, None] + area_b[None, :] - inter + 1e-9)


def nms(boxes, scores, iou_thr):
    """Greedy NMS; returns kept indices in descending score order."""
    order = np.argsort(-scores, kind="stable")
    ious = iou_matrix(boxes[order], boxes[order])
    suppressed = np.zeros(len(order), bool)
    keep = []
    for i in range(len(order)):
        if suppressed[i]:
            continue
        keep.append(order[i])
        suppressed |= ious[i] > iou_thr
    return np.array(keep, dtype=np.int64)


def postprocess(out, letter, size, conf=CONF_FOR_MAP, iou_thr=NMS_IOU, max_det=MAX_DET):
    """out: [4 + nc, N] for one image; letter: (gain, left, top); size: (width, height) of the
    original image. Returns [K, 6] rows (x1, y1, x2, y2, score, cls) in original pixels."""
    p = out.T  # [N, 4 + nc]
    cls = p[:, 4:].argmax(1)
    score = p[np.arange(len(p)), 4 + cls]
    m = score > conf
    p, cls, score = p[m], cls[m], score[m]
    if not len(p):
        return np.zeros((0, 6), np.float32)
    cx, cy, w, h = p[:, 0], p[:, 1], p[:, 2], p[:, 3]
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 1)
    keep = []
    for c in np.unique(cls):
        idx = np.nonzero(cls == c)[0]
        keep.extend(idx[nms(boxes[idx], score[idx], iou_thr)])
    keep = np.array(keep, dtype=np.int64)
    keep = keep[np.argsort(-score[keep], kind="stable")][:max_det]
    gain, left, top = letter
    b = boxes[keep].copy()
    b[:, [0, 2]] = ((b[:, [0, 2]] - left) / gain).clip(0, size[0])
    b[:, [1, 3]] = ((b[:, [1, 3]] - top) / gain).clip(0, size[1])
    return np.concatenate([b, score[keep, None], cls[keep, None].astype(np.float32)], 1).astype(np.float32)


def voc_ap(recall, precision):
    """All-point interpolated AP: area under the precision envelope."""
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[1.0], precision, [0.0]])
    mpre = np.flip(np.maximum.accumulate(np.flip(mpre)))
    i = np.nonzero(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def average_precision(dets, gts, nc, iou_thr=0.5):
    """dets, gts: per image, dets [K, 6] (x1, y1, x2, y2, score, cls), gts [G, 5] (cls, x1, y1, x2, y2).
    Returns (AP per class, with None where the class has no ground truth; mAP over the others)."""
    aps = []
    for c in range(nc):
        records = []  # (score, image, box)
        n_gt = 0
        gt_c = []
        for i, (d, g) in enumerate(zip(dets, gts)):
            gc = g[g[:, 0] == c, 1:]
            gt_c.append(gc)
            n_gt += len(gc)
            for row in d[d[:, 5] == c]:
                records.append((row[4], i, row[:4]))
        if n_gt == 0:
            aps.append(None)
            continue
        records.sort(key=lambda r: -r[0])
        matched = [np.zeros(len(g), bool) for g in gt_c]
        tp = np.zeros(len(records))
        for k, (_, i, box) in enumerate(records):
            g = gt_c[i]
            if not len(g):
                continue
            # VOC rule: the best-overlapping box of the class; a second hit on it is a false positive
            ious = iou_matrix(box[None], g)[0]
            j = int(ious.argmax())
            if ious[j] >= iou_thr and not matched[i][j]:
                tp[k] = 1
                matched[i][j] = True
        ctp = np.cumsum(tp)
        recall = ctp / n_gt
        precision = ctp / np.arange(1, len(records) + 1)
        aps.append(voc_ap(recall, precision))
    valid = [a for a in aps if a is not None]
    return aps, (float(np.mean(valid)) if valid else 0.0)
