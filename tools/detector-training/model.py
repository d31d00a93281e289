"""A small anchor-free single-stage threat detector (YOLOv8-like), written from scratch.

Backbone: strided 3x3 convs with BatchNorm + SiLU and C2f blocks, SPPF at the end.
Neck: top-down then bottom-up feature pyramid (PAN) over strides 8, 16 and 32.
Head: decoupled per level - one branch regresses the box, the other scores the classes.

The exported graph ends exactly like an Ultralytics YOLOv8/YOLO11 detection export:
output0 [1, 4 + nc, N] with each column cx, cy, w, h in input pixels followed by nc class
scores already passed through a sigmoid (no objectness), so one post-processing path in the
TypeScript code serves this model and the models airports bring.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ["gun", "knife", "wrench", "pliers", "scissors", "battery", "lighter", "hammer"]
IMGSZ = 320
STRIDES = (8, 16, 32)


class Conv(nn.Module):
    """Conv2d + BatchNorm + SiLU."""

    def __init__(self, c_in, c_out, k=1, s=1, p=None):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, s, k // 2 if p is None else p, bias=False)
        self.bn = nn.BatchNorm2d(c_out, eps=1e-3, momentum=0.03)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Bottleneck(nn.Module):
    def __init__(self, c, shortcut=True):
        super().__init__()
        self.cv1 = Conv(c, c, 3)
        self.cv2 = Conv(c, c, 3)
        self.add = shortcut

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C2f(nn.Module):
    """Split, run n bottlenecks on one half keeping every intermediate output, concatenate."""

    def __init__(self, c_in, c_out, n=1, shortcut=True):
        super().__init__()
        self.c = c_out // 2
        self.cv1 = Conv(c_in, 2 * self.c, 1)
        self.cv2 = Conv((2 + n) * self.c, c_out, 1)
        self.m = nn.ModuleList(Bottleneck(self.c, shortcut) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        for m in self.m:
            y.append(m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    """Spatial pyramid pooling (fast): three chained 5x5 max-pools widen the receptive field."""

    def __init__(self, c_in, c_out):
        super().__init__()
        c = c_in // 2
        self.cv1 = Conv(c_in, c, 1)
        self.cv2 = Conv(c * 4, c_out, 1)
        self.pool = nn.MaxPool2d(5, 1, 2)

    def forward(self, x):
        x = self.cv1(x)
        y1 = self.pool(x)
        y2 = self.pool(y1)
        return self.cv2(torch.cat([x, y1, y2, self.pool(y2)], 1))


def make_anchors(imgsz=IMGSZ, strides=STRIDES):
    """Anchor points (cell centres, in input pixels) and their strides, levels concatenated
    in the order P3, P4, P5 and each level row-major - the column order of output0."""
    points, stride_col = [], []
    for s in strides:
        n = imgsz // s
        ys, xs = torch.meshgrid(torch.arange(n, dtype=torch.float32), torch.arange(n, dtype=torch.float32), indexing="ij")
        points.append(torch.stack([(xs.flatten() + 0.5) * s, (ys.flatten() + 0.5) * s], 1))
        stride_col.append(torch.full((n * n, 1), float(s)))
    return torch.cat(points), torch.cat(stride_col)


class Detector(nn.Module):
    def __init__(self, nc=len(CLASSES), width=(0, 24, 48, 96, 128), depth=(0, 1, 1, 1), head_ch=32):
        super().__init__()
        self.nc = nc
        w0, w1, w2, w3, w4 = width
        d1, d2, d3, d4 = depth
        # Backbone: 320 -> 80 -> 40 (P3) -> 20 (P4) -> 10 (P5). The stem cuts the image into 4x4
        # patches in one conv: the smallest threat is about 20 input pixels across, and skipping the
        # full-resolution layers makes training on two CPU cores several times faster.
        stem = [Conv(3, w0, 4, 4, 0), Conv(w0, w1, 3, 1)] if w0 else [Conv(3, w1, 4, 4, 0)]
        self.stem = nn.Sequential(*stem, *([C2f(w1, w1, d1)] if d1 else []))
        self.down3 = nn.Sequential(Conv(w1, w2, 3, 2), C2f(w2, w2, d2))
        self.down4 = nn.Sequential(Conv(w2, w3, 3, 2), C2f(w3, w3, d3))
        self.down5 = nn.Sequential(Conv(w3, w4, 3, 2), C2f(w4, w4, d4), SPPF(w4, w4))
        # Neck: top-down (semantics into fine levels), then bottom-up (localisation into coarse ones)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.td4 = C2f(w4 + w3, w3, 1, shortcut=False)
        self.td3 = C2f(w3 + w2, w2, 1, shortcut=False)
        self.bu3 = Conv(w2, w2, 3, 2)
        self.bu4 = C2f(w2 + w3, w3, 1, shortcut=False)
        self.bu4d = Conv(w3, w3, 3, 2)
        self.bu5 = C2f(w3 + w4, w4, 1, shortcut=False)
        chans = (w2, w3, w4)
        # Decoupled head per level: box branch -> 4 distances (left, top, right, bottom),
        # class branch -> nc logits.
        self.box = nn.ModuleList(nn.Sequential(Conv(c, head_ch, 3), Conv(head_ch, head_ch, 3), nn.Conv2d(head_ch, 4, 1)) for c in chans)
        self.cls = nn.ModuleList(nn.Sequential(Conv(c, head_ch, 3), Conv(head_ch, head_ch, 3), nn.Conv2d(head_ch, nc, 1)) for c in chans)
        anchors, strides = make_anchors()
        self.register_buffer("anchors", anchors, persistent=False)  # [N, 2] cell centres in pixels
        self.register_buffer("strides", strides, persistent=False)  # [N, 1]
        self.export_mode = False
        self._init_biases()

    def _init_biases(self):
        for box, cls, s in zip(self.box, self.cls, STRIDES):
            # softplus(1.0) ~ 1.3 strides from the cell centre to each side: a box about 2.6 cells wide
            nn.init.constant_(box[-1].bias, 1.0)
            # Prior of about 5 objects per image spread over this level's cells (as in YOLOv8)
            nn.init.constant_(cls[-1].bias, math.log(5 / self.nc / (IMGSZ / s) ** 2))

    def raw(self, x):
        """Per-anchor raw outputs: distances [B, N, 4] (in stride units, >= 0) and class logits [B, N, nc]."""
        c2 = self.stem(x)
        p3 = self.down3(c2)
        p4 = self.down4(p3)
        p5 = self.down5(p4)
        t4 = self.td4(torch.cat([self.up(p5), p4], 1))
        o3 = self.td3(torch.cat([self.up(t4), p3], 1))
        o4 = self.bu4(torch.cat([self.bu3(o3), t4], 1))
        o5 = self.bu5(torch.cat([self.bu4d(o4), p5], 1))
        dist, logits = [], []
        for i, f in enumerate((o3, o4, o5)):
            b = f.shape[0]
            dist.append(self.box[i](f).reshape(b, 4, -1))
            logits.append(self.cls[i](f).reshape(b, self.nc, -1))
        # softplus keeps the distances positive and smooth around zero
        dist = F.softplus(torch.cat(dist, 2)).transpose(1, 2)
        logits = torch.cat(logits, 2).transpose(1, 2)
        return dist, logits

    def anchors_for(self, size):
        """Anchor points and strides for a size x size input (training may use smaller crops;
        the exported graph holds the constants for 320 x 320)."""
        if size == IMGSZ:
            return self.anchors, self.strides
        return make_anchors(size)

    def decode(self, dist, size=IMGSZ):
        """Distances in stride units -> boxes x1, y1, x2, y2 in input pixels (the decode that the
        exported graph contains: anchor centre minus/plus distance times the level's stride)."""
        anchors, strides = self.anchors_for(size)
        d = dist * strides  # [B, N, 4] in pixels
        xy1 = anchors - d[..., :2]
        xy2 = anchors + d[..., 2:]
        return torch.cat([xy1, xy2], -1)

    def forward(self, x):
        dist, logits = self.raw(x)
        if not self.export_mode:
            return dist, logits
        # Ultralytics layout: [B, 4 + nc, N], columns cx, cy, w, h (pixels) then sigmoid scores
        d = dist * self.strides
        cxcy = self.anchors + (d[..., 2:] - d[..., :2]) / 2
        wh = d[..., :2] + d[..., 2:]
        return torch.cat([cxcy, wh, logits.sigmoid()], -1).transpose(1, 2)


def count_params(model):
    return sum(p.numel() for p in model.parameters())


if __name__ == "__main__":
    m = Detector()
    print(f"parameters: {count_params(m) / 1e6:.2f} M")
    m.export_mode = True
    print(m(torch.zeros(1, 3, IMGSZ, IMGSZ)).shape)
