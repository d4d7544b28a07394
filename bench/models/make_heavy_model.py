"""Makes bench/models/astro-resnet.pt: a heavier CAI-shaped model (a small ResNet, ~0.6M
parameters, ~40x the example CNN's compute per sample) so benchmark ratios hold beyond a toy.
Run with Debian's python3-torch; the build never runs it."""
import os

import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(x + self.bn2(self.conv2(y)))


class AstroResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(5, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU())
        self.stage1 = nn.Sequential(Block(64), Block(64))
        self.down = nn.Sequential(nn.Conv2d(64, 96, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(96), nn.ReLU())
        self.stage2 = nn.Sequential(Block(96), Block(96))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(nn.Linear(96 + 5, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, images: torch.Tensor, magnitudes: torch.Tensor) -> torch.Tensor:
        x = self.stage2(self.down(self.stage1(self.stem(images))))
        return self.head(torch.cat([self.pool(x).flatten(1), magnitudes / 25.0], dim=1))


if __name__ == "__main__":
    torch.manual_seed(11)
    model = torch.jit.script(AstroResNet().eval())
    model.save(os.path.join(os.path.dirname(os.path.abspath(__file__)), "astro-resnet.pt"))
    print(sum(p.numel() for p in model.parameters()), "parameters")
