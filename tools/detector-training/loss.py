"""Target assignment and loss: a simplified task-aligned assigner (TOOD / YOLOv8) with BCE on
soft class targets and GIoU + smooth L1 on boxes."""

import torch
import torch.nn.functional as F


def box_iou_pairs(a, b):
    """Element-wise IoU of boxes a and b [..., 4] (x1, y1, x2, y2)."""
    lt = torch.max(a[..., :2], b[..., :2])
    rb = torch.min(a[..., 2:], b[..., 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area_a = (a[..., 2:] - a[..., :2]).clamp(min=0).prod(-1)
    area_b = (b[..., 2:] - b[..., :2]).clamp(min=0).prod(-1)
    return inter / (area_a + area_b - inter + 1e-9)


def giou_pairs(a, b):
    iou = box_iou_pairs(a, b)
    lt = torch.min(a[..., :2], b[..., :2])
    rb = torch.max(a[..., 2:], b[..., 2:])
    hull = (rb - lt).clamp(min=0).prod(-1) + 1e-9
    inter_lt = torch.max(a[..., :2], b[..., :2])
    inter_rb = torch.min(a[..., 2:], b[..., 2:])
    inter = (inter_rb - inter_lt).clamp(min=0).prod(-1)
    union = (a[..., 2:] - a[..., :2]).clamp(min=0).prod(-1) + (b[..., 2:] - b[..., :2]).clamp(min=0).prod(-1) - inter
    return iou - (hull - union) / hull


@torch.no_grad()
def assign(scores, boxes, anchors, gt_cls, gt_box, gt_mask, topk=10, alpha=0.5, beta=6.0):
    """Task-aligned assignment.

    scores [B, N, C] sigmoid class scores, boxes [B, N, 4] predicted boxes (pixels), anchors [N, 2]
    cell centres; gt_cls [B, M] (long), gt_box [B, M, 4], gt_mask [B, M] (bool, False = padding).

    1. Candidates of a ground-truth box: the anchor points lying inside it (any level).
    2. Alignment of a candidate: score(for the box's class)^alpha * IoU(prediction, box)^beta,
       so an anchor must both classify and localise the object well to be picked.
    3. The top-k aligned candidates of each box become positives. An anchor chosen by several
       boxes keeps the one its prediction overlaps most.
    4. Soft class target of a positive: its alignment, normalised so that the best anchor of each
       box gets that box's best IoU - the class score learns to predict localisation quality.

    Returns fg [B, N] bool, target class [B, N], target box [B, N, 4], target score [B, N, C].
    """
    B, N, C = scores.shape
    M = gt_box.shape[1]
    if M == 0:
        return (torch.zeros(B, N, dtype=torch.bool), torch.zeros(B, N, dtype=torch.long), torch.zeros(B, N, 4), torch.zeros(B, N, C))
    # 1. anchor inside box (strictly, by a small margin)
    a = anchors[None, None]  # [1, 1, N, 2]
    g = gt_box[:, :, None]  # [B, M, 1, 4]
    inside = torch.cat([a - g[..., :2], g[..., 2:] - a], -1).amin(-1) > 1e-3  # [B, M, N]
    inside &= gt_mask[:, :, None]
    # 2. alignment metric over the candidates
    cls_idx = gt_cls.clamp(min=0)[:, :, None].expand(B, M, N)
    s = scores.permute(0, 2, 1).gather(1, cls_idx)  # [B, M, N] score of each box's class
    iou = box_iou_pairs(boxes[:, None], gt_box[:, :, None]).clamp(min=0)  # [B, M, N]
    iou = iou * inside
    align = s.pow(alpha) * iou.pow(beta) * inside
    # 3. top-k per box
    k = min(topk, N)
    top_idx = align.topk(k, dim=-1).indices  # [B, M, k]
    is_top = torch.zeros_like(inside).scatter_(-1, top_idx, True)
    pos = is_top & inside & (align > 0)
    # Early in training IoUs may be ~0 everywhere; fall back to the candidate nearest the box centre
    centre = (gt_box[..., :2] + gt_box[..., 2:]) / 2  # [B, M, 2]
    dist = (anchors[None, None] - centre[:, :, None]).pow(2).sum(-1)  # [B, M, N]
    dist = dist.masked_fill(~inside, float("inf"))
    nearest = dist.argmin(-1, keepdim=True)
    none = (pos.sum(-1, keepdim=True) == 0) & inside.any(-1, keepdim=True)
    pos |= torch.zeros_like(pos).scatter_(-1, nearest, True) & none
    # An anchor claimed by several boxes keeps the box its prediction overlaps most
    multi = pos.sum(1, keepdim=True) > 1  # [B, 1, N]
    if multi.any():
        best = iou.masked_fill(~pos, -1).argmax(1, keepdim=True)  # [B, 1, N]
        one = torch.zeros_like(pos).scatter_(1, best, True)
        pos = torch.where(multi, one & pos, pos)
    fg = pos.any(1)  # [B, N]
    gt_idx = pos.float().argmax(1)  # [B, N]
    t_cls = gt_cls.gather(1, gt_idx).clamp(min=0)
    t_box = gt_box.gather(1, gt_idx[..., None].expand(B, N, 4))
    # 4. normalised alignment as the soft class target
    align = align * pos
    max_align = align.amax(-1, keepdim=True)  # [B, M, 1]
    max_iou = (iou * pos).amax(-1, keepdim=True)
    norm = (align * max_iou / (max_align + 1e-9)).amax(1)  # [B, N]
    # Floor for every positive: while the predicted boxes of a small or thin object still overlap
    # it poorly, its normalised alignment is near zero, and without a floor the detector would
    # learn to give lighters and knives near-zero scores (and, below, near-zero box weight).
    norm = torch.where(fg, norm.clamp(min=0.2), norm)
    t_score = F.one_hot(t_cls, C).float() * (norm * fg)[..., None]
    return fg, t_cls, t_box, t_score


class DetectionLoss:
    def __init__(self, model, box_gain=7.5, cls_gain=0.5, l1_gain=1.0):
        self.model = model
        self.box_gain, self.cls_gain, self.l1_gain = box_gain, cls_gain, l1_gain

    def __call__(self, dist, logits, size, gt_cls, gt_box, gt_mask):
        anchors, strides = self.model.anchors_for(size)
        boxes = self.model.decode(dist, size)  # [B, N, 4] pixels
        fg, _, t_box, t_score = assign(logits.detach().sigmoid(), boxes.detach(), anchors, gt_cls, gt_box, gt_mask)
        norm = t_score.sum().clamp(min=1.0)
        loss_cls = F.binary_cross_entropy_with_logits(logits, t_score, reduction="sum") / norm
        if fg.any():
            # every positive's box counts the same, whatever its alignment: small objects' boxes
            # must be learnt before their alignment can grow
            n_pos = fg.sum()
            loss_box = (1 - giou_pairs(boxes[fg], t_box[fg])).sum() / n_pos
            # L1 on the four distances in stride units, for a stable gradient when boxes barely overlap
            stride = strides[None].expand(fg.shape[0], -1, -1)[fg]  # [P, 1]
            anchor = anchors[None].expand(fg.shape[0], -1, -1)[fg]
            t_dist = torch.cat([anchor - t_box[fg][:, :2], t_box[fg][:, 2:] - anchor], -1) / stride
            loss_l1 = F.smooth_l1_loss(dist[fg], t_dist, reduction="none").mean(-1).sum() / n_pos
        else:
            loss_box = loss_l1 = logits.sum() * 0
        total = self.cls_gain * loss_cls + self.box_gain * loss_box + self.l1_gain * loss_l1
        return total, {"cls": loss_cls.item(), "box": loss_box.item(), "l1": loss_l1.item(), "pos": int(fg.sum())}
